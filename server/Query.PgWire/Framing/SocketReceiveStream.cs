using System.Net.Sockets;

namespace Query.PgWire.Framing;

/// <summary>
/// The receiving side of a connection's socket, for its <c>PipeReader</c>. On the connection's own thread
/// (<see cref="ConnectionThread"/>) a read blocks in <c>poll</c> and then receives what arrived, with no other
/// thread involved; anywhere else, and while a running statement watches for a vanished client (<see
/// cref="Watching"/>: the connection's thread must stay free for the statement), it is the socket's ordinary
/// asynchronous receive. A blocked read wakes every <see cref="PollInterval"/> to notice cancellation.
/// </summary>
internal sealed class SocketReceiveStream(Socket socket) : Stream
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The connection's own thread, if it has one.</summary>
    public ConnectionThread? Thread { get; set; }

    /// <summary>Set while a statement runs with a read pending only to notice the client leaving.</summary>
    public bool Watching { get; set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Watching || Thread is not { IsCurrent: true })
            return socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        while (!socket.Poll(PollInterval, SelectMode.SelectRead))
            cancellationToken.ThrowIfCancellationRequested();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(socket.Receive(buffer.Span, SocketFlags.None));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => socket.Receive(buffer, offset, count,
        SocketFlags.None);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
