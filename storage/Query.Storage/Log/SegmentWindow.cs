using System.Buffers;

namespace Query.Storage.Log;

/// <summary>
/// The one way readers pull segment bytes into a pooled buffer: keep the window when it already holds
/// [position, position + needed), otherwise read ahead up to <c>readAheadBytes</c>, never past the published size.
/// A file shorter than its published size is corruption, not end of data.
/// </summary>
internal static class SegmentWindow
{
    public static void Ensure(Segment segment, ref byte[] buffer, ref long bufferStart, ref int bufferLength,
        long position, int needed, int readAheadBytes, long sizeBytes)
    {
        if (position >= bufferStart && position + needed <= bufferStart + bufferLength)
            return;
        var wanted = (int)Math.Min(Math.Max(needed, readAheadBytes), sizeBytes - position);
        if (wanted > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(wanted);
        }
        var read = 0;
        while (read < wanted)
        {
            var n = RandomAccess.Read(segment.Handle, buffer.AsSpan(read, wanted - read), position + read);
            if (n == 0)
                throw new CorruptSegmentException(segment.LogPath, position + read, "file shorter than published");
            read += n;
        }
        bufferStart = position;
        bufferLength = read;
    }
}
