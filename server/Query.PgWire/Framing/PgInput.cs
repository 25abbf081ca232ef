using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Query.PgWire.Framing;

/// <summary>
/// Reads frontend messages from the socket pipe. Each frame's length is checked against the limit before any of
/// its body is awaited, so an attacker-sized length never causes an allocation; the body is then copied into one
/// reused buffer (valid until the next read). While a statement runs, <see cref="StartWatching"/> keeps reading
/// (without consuming) so a vanished client is noticed even when the client sends nothing.
/// </summary>
internal sealed class PgInput : IDisposable
{
    private readonly PipeReader _reader;
    private int _maxMessageBytes;
    private bool _authenticated;
    // Bodies up to this size are copied into a buffer from the shared pool. A larger one (a rare huge statement)
    // gets an array of its own that is dropped at the next message: returned to the shared pool, a buffer of the
    // largest message ever sent would stay parked in its per-thread and per-core caches, one per thread that
    // happened to return it, long after the request (the soak test measured this as steady memory growth).
    private const int MaxPooledBodyBytes = 64 * 1024;
    private byte[] _body = ArrayPool<byte>.Shared.Rent(4096);
    private byte[]? _largeBody;
    private Task? _watcher;

    /// <param name="reader">The socket's bytes.</param>
    /// <param name="maxUnauthenticatedBytes">
    /// Largest message before authentication completes (startup packet, password and SASL messages): a client that
    /// has not proven who it is may not make the server buffer more, so anything larger closes the connection.
    /// </param>
    public PgInput(PipeReader reader, int maxUnauthenticatedBytes)
    {
        _reader = reader;
        _maxMessageBytes = maxUnauthenticatedBytes;
    }

    /// <summary>Authentication succeeded: messages up to <paramref name="maxMessageBytes"/> are read from now on.
    /// </summary>
    public void Authenticated(int maxMessageBytes)
    {
        _authenticated = true;
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary>Body of the last message read.</summary>
    public ReadOnlySpan<byte> Body => (_largeBody ?? _body).AsSpan(0, BodyLength);

    public int BodyLength { get; private set; }

    /// <summary>Reads an untyped startup-phase message; returns false at end of stream.</summary>
    public async ValueTask<bool> ReadStartupAsync(CancellationToken ct) =>
        await ReadCoreAsync(typed: false, ct) >= 0;

    /// <summary>Reads one typed message; returns its type byte, or -1 at end of stream.</summary>
    public ValueTask<int> ReadMessageAsync(CancellationToken ct) => ReadCoreAsync(typed: true, ct);

    /// <summary>
    /// The next frame's type (0 for an untyped startup frame), or -1 at end of stream. A batch the client
    /// pipelined (Parse..Sync) is already buffered, so every read after the first completes synchronously.
    /// </summary>
    private async ValueTask<int> ReadCoreAsync(bool typed, CancellationToken ct)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(ct);
            var buffer = result.Buffer;
            if (TryReadFrame(ref buffer, typed, out byte type, out var body))
            {
                CopyBody(body);
                _reader.AdvanceTo(buffer.Start);
                return type;
            }
            if (result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                if (buffer.Length > 0)
                    throw new PgProtocolException("incomplete message at end of stream");
                return -1;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// COPY FROM STDIN's read loop: hands the body of every CopyData message to <paramref name="onData"/> straight
    /// from the pipe (one pipe read serves every message already buffered, rather than one read and one copy per
    /// message), and returns the type of the first other message (its body in <see cref="Body"/>), or -1 at end of
    /// stream.
    /// </summary>
    public async ValueTask<int> ReadCopyDataAsync(Action<ReadOnlySpan<byte>> onData, CancellationToken ct)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(ct);
            int type = DrainCopyData(result, onData, out bool partial);
            if (type >= 0)
                return type;
            if (result.IsCompleted)
                return partial ? throw new PgProtocolException("incomplete message at end of stream") : -1;
        }
    }

    private int DrainCopyData(ReadResult result, Action<ReadOnlySpan<byte>> onData, out bool partial)
    {
        var buffer = result.Buffer;
        bool needMore = false;
        partial = false;
        try
        {
            while (TryReadFrame(ref buffer, typed: true, out byte type, out var body))
            {
                if (type != (byte)'d')
                {
                    CopyBody(body);
                    return type;
                }
                if (body.IsSingleSegment)
                {
                    onData(body.FirstSpan);
                    continue;
                }
                CopyBody(body);
                onData(Body);
            }
            needMore = true;
            partial = buffer.Length > 0;
            return -1;
        }
        finally
        {
            // Frames read so far are consumed, a failing one included (the connection drops the rest of the COPY).
            if (needMore)
                _reader.AdvanceTo(buffer.Start, buffer.End);
            else
                _reader.AdvanceTo(buffer.Start);
        }
    }

    private void CopyBody(ReadOnlySequence<byte> body)
    {
        BodyLength = (int)body.Length;
        _largeBody = null;
        if (BodyLength > MaxPooledBodyBytes)
        {
            _largeBody = GC.AllocateUninitializedArray<byte>(BodyLength);
            body.CopyTo(_largeBody);
            return;
        }
        if (_body.Length < BodyLength)
        {
            ArrayPool<byte>.Shared.Return(_body);
            _body = ArrayPool<byte>.Shared.Rent(BodyLength);
        }
        body.CopyTo(_body);
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, bool typed, out byte type,
        out ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(buffer);
        type = 0;
        body = default;
        if (typed && !reader.TryRead(out type))
            return false;
        if (!reader.TryReadBigEndian(out int length))
            return false;
        if (length < 4)
            throw new PgProtocolException($"invalid message length {length}");
        if (!_authenticated && length - 4 > _maxMessageBytes)
            throw new PgProtocolException(typed
                ? $"invalid message length {length} before authentication (at most {_maxMessageBytes} bytes)"
                : $"invalid length of startup packet: {length}");
        if (length - 4 > _maxMessageBytes)
            throw new PgException(PgSqlState.ProgramLimitExceeded,
                $"message of {length} bytes exceeds the limit of {_maxMessageBytes} bytes", fatal: true);
        if (reader.Remaining < length - 4)
            return false;
        body = buffer.Slice(reader.Position, length - 4);
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>
    /// Starts noticing end of stream while a statement runs; <paramref name="onClosed"/> fires if the client goes.
    /// Pipelined bytes stay unconsumed; watching stops by itself once more than the message limit is buffered.
    /// </summary>
    public void StartWatching(Action onClosed)
    {
        if (_watcher is not null)
            return;
        _watcher = WatchAsync(onClosed);
    }

    public async ValueTask StopWatchingAsync()
    {
        if (_watcher is null)
            return;
        _reader.CancelPendingRead();
        await _watcher;
        _watcher = null;
    }

    private async Task WatchAsync(Action onClosed)
    {
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync();
                // Leaving, the buffer is marked unexamined so the message loop sees pipelined bytes at once;
                // while watching, everything is marked examined so the next read waits for new bytes or EOF.
                if (result.IsCanceled || result.IsCompleted || result.Buffer.Length > _maxMessageBytes + 5L)
                {
                    _reader.AdvanceTo(result.Buffer.Start);
                    if (result.IsCompleted && !result.IsCanceled)
                        onClosed();
                    return;
                }
                _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (Exception)
        {
            onClosed();
        }
    }

    public static int ReadInt32(ReadOnlySpan<byte> span, int at) => BinaryPrimitives.ReadInt32BigEndian(span[at..]);

    public static short ReadInt16(ReadOnlySpan<byte> span, int at) => BinaryPrimitives.ReadInt16BigEndian(span[at..]);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_body);
        _body = [];
        _largeBody = null;
    }
}
