using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Query.Storage.Format;
using Query.Storage.Index;

namespace Query.Storage.Recovery;

/// <summary>
/// Walks a segment file from the start, checking every batch (plausible header, expected base offset, CRC)
/// and rebuilding its index on the way.
/// <para>A bad batch is a torn tail, cut off when <c>allowTornTail</c> (the active segment), if it cannot be
/// followed by good data: it claims to run to or past the end of the file, or everything from it to the
/// end is zero bytes (a write that never reached the disk), or the remainder is shorter than a header.
/// Any other bad batch is corruption in the middle of the segment: <see cref="CorruptSegmentException"/> with
/// the file and position, never a silent drop.</para>
/// </summary>
internal static class SegmentScanner
{
    private const int ChunkBytes = 1 << 20;

    /// <summary><c>UncommittedFrom</c>: where the trailing batches of uncommitted transactions start, or -1.</summary>
    internal sealed record Result(long ValidBytes, long FileBytes, long EndOffset, long MinTimestampMs,
        long MaxTimestampMs, SegmentIndex Index, long UncommittedFrom);

    /// <summary>Scans the segment. Batches marked continued, and batches marked pending that end past
    /// <paramref name="recordedEnd"/>, are uncommitted when nothing committed follows them.</summary>
    public static Result Scan(SafeFileHandle handle, string path, long baseOffset, bool allowTornTail,
        long recordedEnd = long.MaxValue)
    {
        long uncommittedFrom = -1;
        var fileBytes = RandomAccess.GetLength(handle);
        var index = new SegmentIndex();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        long bufferStart = 0, position = 0, nextOffset = baseOffset;
        long min = long.MaxValue, max = long.MinValue;
        var bufferLength = 0;
        try
        {
            while (position < fileBytes)
            {
                var problem = TryLoad(handle, ref buffer, ref bufferStart, ref bufferLength, position, fileBytes,
                    nextOffset, out var header);
                if (problem is not null)
                {
                    if (allowTornTail && IsTornTail(handle, position, fileBytes, header))
                        break;
                    throw new CorruptSegmentException(path, position, problem);
                }
                if (IsUncommitted(header, recordedEnd))
                    uncommittedFrom = uncommittedFrom < 0 ? position : uncommittedFrom;
                else
                    uncommittedFrom = -1;
                index.OnBatch((int)(nextOffset - baseOffset), position, header.MinTimestampMs, header.MaxTimestampMs);
                min = Math.Min(min, header.MinTimestampMs);
                max = Math.Max(max, header.MaxTimestampMs);
                nextOffset = header.EndOffset;
                position += header.BatchLength;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new Result(position, fileBytes, nextOffset, min, max, index, uncommittedFrom);
    }

    private static bool IsUncommitted(BatchHeader header, long recordedEnd) =>
        (header.Attributes & BatchHeader.ContinuedAttribute) != 0
        || ((header.Attributes & BatchHeader.PendingAttribute) != 0 && header.EndOffset > recordedEnd);

    // Makes the batch at `position` resident in the buffer and validates it; returns why it is bad, or null.
    private static string? TryLoad(SafeFileHandle handle, ref byte[] buffer, ref long bufferStart,
        ref int bufferLength, long position, long fileBytes, long expectedOffset, out BatchHeader header)
    {
        header = default;
        if (fileBytes - position < BatchHeader.Size)
            return "truncated batch header";
        Fill(handle, ref buffer, ref bufferStart, ref bufferLength, position, BatchHeader.Size, fileBytes);
        header = BatchHeader.Read(buffer.AsSpan((int)(position - bufferStart), BatchHeader.Size));
        if (!header.IsPlausible)
            return "invalid batch header";
        if (header.BaseOffset != expectedOffset)
            return $"batch base offset {header.BaseOffset} where {expectedOffset} was expected";
        if (position + header.BatchLength > fileBytes)
            return "batch runs past the end of the file";
        Fill(handle, ref buffer, ref bufferStart, ref bufferLength, position, header.BatchLength, fileBytes);
        var batch = buffer.AsSpan((int)(position - bufferStart), header.BatchLength);
        return header.CrcMatches(batch) ? null : "CRC-32C mismatch";
    }

    private static void Fill(SafeFileHandle handle, ref byte[] buffer, ref long bufferStart, ref int bufferLength,
        long position, int needed, long fileBytes)
    {
        if (position >= bufferStart && position + needed <= bufferStart + bufferLength)
            return;
        if (needed > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(needed);
        }
        var toRead = (int)Math.Min(buffer.Length, fileBytes - position);
        var read = 0;
        while (read < toRead)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read, toRead - read), position + read);
            if (n == 0)
                break;
            read += n;
        }
        bufferStart = position;
        bufferLength = read;
    }

    private static bool IsTornTail(SafeFileHandle handle, long position, long fileBytes, BatchHeader header)
    {
        if (fileBytes - position < BatchHeader.Size)
            return true;
        if (header.IsPlausible && position + header.BatchLength >= fileBytes)
            return true;
        return IsAllZero(handle, position, fileBytes);
    }

    private static bool IsAllZero(SafeFileHandle handle, long position, long fileBytes)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (position < fileBytes)
            {
                var n = RandomAccess.Read(handle, chunk.AsSpan(0, (int)Math.Min(chunk.Length, fileBytes - position)),
                    position);
                if (n == 0)
                    return true;
                if (chunk.AsSpan(0, n).ContainsAnyExcept((byte)0))
                    return false;
                position += n;
            }
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
