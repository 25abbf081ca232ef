using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Query.PgWire.Framing;
using Query.PgWire.Protocol;
using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>
/// One client connection: the protocol state machine over an <see cref="IPgSession"/>.
///
/// Error policy: an ERROR (any non-fatal <see cref="PgException"/>, or XX000 for an unexpected exception, logged)
/// is sent and the connection stays usable: ReadyForQuery follows in the simple protocol, and the extended protocol
/// discards messages until Sync. FATAL is reserved for protocol violations (08P01), authentication failures and
/// shutdown (57P01); the socket closes after it.
///
/// Cancellation: every running result has its own token, linked to the connection's lifetime token. A
/// CancelRequest cancels the active one (57014, connection kept); a vanished client (noticed by
/// <see cref="PgInput.StartWatching"/> while a statement waits) and server shutdown cancel the lifetime token.
/// </summary>
internal sealed partial class PgConnection : IAsyncDisposable
{
    private readonly PgServer _server;
    private readonly PgServerOptions _options;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SocketReceiveStream _receiver;
    private readonly PgInput _input;
    private readonly PgOutputBuffer _out = new();
    private readonly PgRowWriter _rows;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime;
    private readonly ConcurrentDictionary<string, string> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, WireStatement> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Portal> _portals = new(StringComparer.Ordinal);
    private IPgSession? _session;
    private PgSessionContext? _context;
    private char _transaction = 'I';
    private bool _skipUntilSync;
    private volatile Portal? _active;
    private volatile bool _clientGone;
    private ConnectionThread? _thread;
    private CancellationToken _startupToken;

    public PgConnection(PgServer server, Socket socket, int processId, ILogger logger, CancellationToken shutdown)
    {
        _server = server;
        _options = server.Options;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _receiver = new SocketReceiveStream(socket);
        _input = new PgInput(PipeReader.Create(_receiver,
                new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true)),
            _options.MaxUnauthenticatedMessageBytes);
        _rows = new PgRowWriter(_out);
        _logger = logger;
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        ProcessId = processId;
        SecretKey = Random.Shared.Next();
    }

    public int ProcessId { get; }
    public int SecretKey { get; }
    public string User { get; private set; } = "";
    public string Database { get; private set; } = "";
    /// <summary>Called from another connection's CancelRequest: stops the statement running now, if any.</summary>
    public void CancelActiveStatement()
    {
        try
        {
            _active?.Cancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The statement ended between the lookup and the cancel; nothing to do.
        }
    }

    /// <summary>Serves the connection to its end; on <paramref name="thread"/> when it has a thread of its own.
    /// </summary>
    public async Task RunAsync(ConnectionThread? thread = null)
    {
        _thread = thread;
        _receiver.Thread = thread;
        try
        {
            if (await StartupWithinTimeoutAsync())
                await MessageLoopAsync();
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            await TrySendFatalAsync(_clientGone ? null : AdminShutdown());
        }
        catch (PgException ex)
        {
            // A non-fatal error can only escape from the startup phase (statement errors are reported in the
            // message loop); before a session exists every error ends the connection.
            await TrySendFatalAsync(ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            _logger.LogDebug(ex, "connection {ProcessId} closed by the network", ProcessId);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "connection {ProcessId} failed", ProcessId);
            await TrySendFatalAsync(new PgException(PgSqlState.InternalError, "internal error", fatal: true));
        }
        finally
        {
            await DisposeAsync();
        }
    }

    /// <summary>
    /// The startup phase (startup packet, authentication, session) must finish within the authentication timeout,
    /// as PostgreSQL's authentication_timeout: a socket that says nothing, or says it slowly, is closed without
    /// a reply. Until then the connection counts against the server's limit of unauthenticated connections.
    /// </summary>
    private async Task<bool> StartupWithinTimeoutAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        timeout.CancelAfter(_options.AuthenticationTimeout);
        _startupToken = timeout.Token;
        try
        {
            return await StartupAsync();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_lifetime.IsCancellationRequested)
        {
            _logger.LogInformation("connection {ProcessId}: authentication timed out after {Timeout}", ProcessId,
                _options.AuthenticationTimeout);
            return false;
        }
        finally
        {
            _startupToken = _lifetime.Token;
            _server.EndStartup();
        }
    }

    private static PgException AdminShutdown() =>
        new(PgSqlState.AdminShutdown, "terminating connection due to administrator command", fatal: true);

    private async Task MessageLoopAsync()
    {
        while (true)
        {
            if (_thread is not null)
                await _thread.SwitchTo();   // back from wherever the last statement completed, to block in receive
            int type = await _input.ReadMessageAsync(_lifetime.Token);
            if (type < 0 || type == 'X')
                return;
            if (_skipUntilSync && type != 'S')
                continue;
            try
            {
                await DispatchAsync((byte)type);
            }
            catch (Exception ex) when (IsStatementError(ex))
            {
                // Simple Query and FunctionCall are answered with ReadyForQuery; the rest wait for Sync.
                await ReportErrorAsync(ex, extended: type is not ('Q' or 'F'));
            }
        }
    }

    private ValueTask DispatchAsync(byte type) => type switch
    {
        (byte)'Q' => SimpleQueryAsync(PgMessages.ReadCString(_input.Body, 0, out _)),
        (byte)'P' => Complete(Parse()),
        (byte)'B' => Complete(Bind()),
        (byte)'D' => Complete(Describe()),
        (byte)'E' => ExecuteAsync(),
        (byte)'S' => SyncAsync(),
        (byte)'H' => FlushAsync(),
        (byte)'C' => CloseAsync(),
        (byte)'d' or (byte)'c' or (byte)'f' => ValueTask.CompletedTask,   // COPY data after a failed COPY: dropped
        (byte)'F' => throw PgException.FeatureNotSupported("the function call protocol"),
        _ => throw new PgProtocolException($"invalid frontend message type {type}"),
    };

    private static ValueTask Complete(bool _) => ValueTask.CompletedTask;

    /// <summary>Errors that end the statement but not the connection.</summary>
    private bool IsStatementError(Exception ex) => ex switch
    {
        PgException pg => !pg.IsFatal,
        OperationCanceledException => !_lifetime.IsCancellationRequested,
        IOException or SocketException or ObjectDisposedException => false,
        _ => true,
    };

    private async ValueTask ReportErrorAsync(Exception ex, bool extended)
    {
        var error = ex switch
        {
            PgException pg => pg,
            OperationCanceledException => new PgException(PgSqlState.QueryCanceled,
                "canceling statement due to user request"),
            _ => Internal(ex),
        };
        if (_transaction == 'T')
            _transaction = 'E';
        PgMessages.WriteError(_out, error, "ERROR");
        if (extended)
        {
            _skipUntilSync = true;
            await FlushAsync();
        }
        else
        {
            await ReadyForQueryAsync();
        }
    }

    private PgException Internal(Exception ex)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        _logger.LogError(ex, "internal error {ErrorId} on connection {ProcessId}", id, ProcessId);
        return new PgException(PgSqlState.InternalError, $"internal error (id {id}): {ex.GetType().Name}");
    }

    private async ValueTask TrySendFatalAsync(PgException? error)
    {
        if (error is null)
            return;
        try
        {
            PgMessages.WriteError(_out, error, "FATAL");
            await FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException
            or OperationCanceledException)
        {
            // The client is gone; the FATAL had nowhere to go.
        }
    }

    private async ValueTask ReadyForQueryAsync()
    {
        _out.BeginMessage((byte)'Z');
        _out.WriteByte((byte)_transaction);
        _out.EndMessage();
        await FlushAsync();
    }

    public async ValueTask FlushAsync()
    {
        if (_out.Length == 0)
            return;
        await _stream.WriteAsync(_out.Written, CancellationToken.None);
        _out.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _server.Unregister(this);
        foreach (var portal in _portals.Values)
            await portal.DisposeResultAsync();
        _portals.Clear();
        if (_session is not null)
        {
            try
            {
                await _session.DisposeAsync();
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "session {ProcessId} failed to close", ProcessId);
            }
            _session = null;
        }
        await _lifetime.CancelAsync();
        _lifetime.Dispose();
        _input.Dispose();
        _out.Dispose();
        await _stream.DisposeAsync();
    }
}
