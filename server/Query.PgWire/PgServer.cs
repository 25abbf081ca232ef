using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Query.PgWire.Framing;

namespace Query.PgWire;

/// <summary>
/// A PostgreSQL v3 wire-protocol server: one TCP listener, one connection loop per client, sessions from an
/// <see cref="IPgSessionFactory"/>. Usable without a generic host: <c>await server.StartAsync()</c>, read
/// <see cref="EndPoint"/>, <c>await server.StopAsync()</c> (running statements end with FATAL 57P01).
/// </summary>
public sealed class PgServer : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<int, PgConnection> _connections = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _shutdown = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _nextProcessId = Environment.ProcessId % 10_000 * 1000;
    private int _unauthenticated;
    private int _connectionThreads;

    public PgServer(PgServerOptions options, IPgSessionFactory sessionFactory, ILoggerFactory? loggerFactory = null)
    {
        Options = options;
        SessionFactory = sessionFactory;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PgServer>();
    }

    public PgServerOptions Options { get; }
    public IPgSessionFactory SessionFactory { get; }

    /// <summary>The bound address once <see cref="StartAsync"/> returned (the real port when 0 was asked).</summary>
    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>Authenticated sessions currently open.</summary>
    public int ConnectionCount => _connections.Count;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        var listener = new Socket(Options.ListenAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(Options.ListenAddress, Options.Port));
        listener.Listen(512);
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync(listener);
        _logger.LogInformation("PostgreSQL wire server listening on {EndPoint}", EndPoint);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_listener is null)
            return;
        await _shutdown.CancelAsync();
        _listener.Dispose();
        if (_acceptLoop is not null)
            await _acceptLoop;
        var all = Task.WhenAll(_running.Keys);
        try
        {
            await all.WaitAsync(Options.ShutdownTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{Count} connections did not end within the shutdown timeout", _running.Count);
        }
        _listener = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _shutdown.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_shutdown.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_shutdown.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_shutdown.IsCancellationRequested)
                    return;
                _logger.LogWarning(ex, "accept failed");
                continue;
            }
            socket.NoDelay = true;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            if (Interlocked.Increment(ref _unauthenticated) > Options.MaxUnauthenticatedConnections)
            {
                Interlocked.Decrement(ref _unauthenticated);
                _logger.LogDebug("refused a connection: {Limit} connections are authenticating already",
                    Options.MaxUnauthenticatedConnections);
                _ = RefuseAsync(socket);
                continue;
            }
            int processId = Interlocked.Increment(ref _nextProcessId);
            var connection = new PgConnection(this, socket, processId, _logger, _shutdown.Token);
            var task = StartConnection(connection);
            _running[task] = 0;
            _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    /// <summary>On a thread of its own while fewer than <see cref="PgServerOptions.ConnectionThreads"/> have one,
    /// otherwise on the thread pool.</summary>
    private Task StartConnection(PgConnection connection)
    {
        if (Interlocked.Increment(ref _connectionThreads) > Options.ConnectionThreads)
        {
            Interlocked.Decrement(ref _connectionThreads);
            return Task.Run(() => connection.RunAsync());
        }
        var task = ConnectionThread.Start(connection.RunAsync, $"pg connection {connection.ProcessId}");
        _ = task.ContinueWith(_ => Interlocked.Decrement(ref _connectionThreads), TaskScheduler.Default);
        return task;
    }

    /// <summary>
    /// Admits an authenticated session. The last <see cref="PgServerOptions.ReservedConnections"/> of
    /// <see cref="PgServerOptions.MaxConnections"/> slots are kept for <see cref="PgServerOptions.AdminUsers"/>, so
    /// idle application connections cannot lock an administrator out (PostgreSQL's superuser_reserved_connections).
    /// </summary>
    internal bool TryRegister(PgConnection connection, bool isAdmin, out string refusal)
    {
        lock (_connections)
        {
            int limit = isAdmin ? Options.MaxConnections : Options.MaxConnections - Options.ReservedConnections;
            if (_connections.Count >= limit)
            {
                refusal = _connections.Count < Options.MaxConnections
                    ? "remaining connection slots are reserved for administrators"
                    : "sorry, too many clients already";
                return false;
            }
            _connections[connection.ProcessId] = connection;
            refusal = "";
            return true;
        }
    }

    /// <summary>A connection left the startup phase (authenticated, refused or gone).</summary>
    internal void EndStartup() => Interlocked.Decrement(ref _unauthenticated);

    /// <summary>Connections served by a thread of their own now (at most
    /// <see cref="PgServerOptions.ConnectionThreads"/>).</summary>
    public int ConnectionThreadsInUse => Volatile.Read(ref _connectionThreads);

    /// <summary>Connections that have not finished authenticating yet.</summary>
    public int UnauthenticatedCount => Volatile.Read(ref _unauthenticated);

    /// <summary>
    /// Too many sockets are still authenticating: this one is told so (FATAL 53300) and closed without reading
    /// anything, so that a flood of silent sockets costs no more than the limit of them.
    /// </summary>
    private async Task RefuseAsync(Socket socket)
    {
        try
        {
            using var output = new Framing.PgOutputBuffer();
            Framing.PgMessages.WriteError(output, new PgException(PgSqlState.TooManyConnections,
                "sorry, too many clients are authenticating already"), "FATAL");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.SendAsync(output.Written, SocketFlags.None, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The refused client is gone already.
        }
        finally
        {
            socket.Dispose();
        }
    }

    internal void Unregister(PgConnection connection) =>
        _connections.TryRemove(new KeyValuePair<int, PgConnection>(connection.ProcessId, connection));

    /// <summary>CancelRequest: acts only when both the process id and the secret match, as PostgreSQL does.</summary>
    internal void Cancel(int processId, int secretKey)
    {
        if (_connections.TryGetValue(processId, out var connection) && connection.SecretKey == secretKey)
            connection.CancelActiveStatement();
    }
}
