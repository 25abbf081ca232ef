using System.Buffers.Binary;
using Query.Storage.Format;

namespace Query.Storage.Log;

/// <summary>
/// Where a segment is cut so that it ends at a given offset: the file position of the batch holding that offset
/// and, when the offset falls inside the batch, the batch's kept head (its records before the offset) rewritten
/// as a batch of its own, with its own length, count, time range and CRC.
/// </summary>
internal readonly record struct TruncationPoint(long CutPosition, byte[] Head)
{
    public static TruncationPoint Find(Segment segment, long endOffset, long sizeBytes)
    {
        var position = segment.Index.FindPosition(endOffset - segment.BaseOffset);
        Span<byte> headerBytes = stackalloc byte[BatchHeader.Size];
        while (position < sizeBytes)
        {
            ReadExactly(segment, headerBytes, position);
            var header = BatchHeader.Read(headerBytes);
            if (!header.IsPlausible || position + header.BatchLength > sizeBytes)
                throw new CorruptSegmentException(segment.LogPath, position, "invalid batch header");
            if (header.BaseOffset >= endOffset)
                return new TruncationPoint(position, []);
            if (header.EndOffset > endOffset)
                return new TruncationPoint(position, KeptHead(segment, position, header, endOffset));
            position += header.BatchLength;
        }
        throw new CorruptSegmentException(segment.LogPath, position, $"offset {endOffset} is not in the segment");
    }

    private static byte[] KeptHead(Segment segment, long position, BatchHeader header, long endOffset)
    {
        var batch = new byte[header.BatchLength];
        ReadExactly(segment, batch, position);
        if (!header.CrcMatches(batch))
            throw new CorruptSegmentException(segment.LogPath, position, "CRC-32C mismatch");
        var keep = (int)(endOffset - header.BaseOffset);
        long min = long.MaxValue, max = long.MinValue;
        var recordPosition = BatchHeader.Size;
        for (var i = 0; i < keep; i++)
        {
            var timestampMs = RecordFormat.ReadTimestamp(batch.AsSpan(recordPosition));
            min = Math.Min(min, timestampMs);
            max = Math.Max(max, timestampMs);
            recordPosition += 4 + BinaryPrimitives.ReadInt32LittleEndian(batch.AsSpan(recordPosition));
        }
        var head = batch.AsSpan(0, recordPosition).ToArray();
        // Base offset, version and attribute bytes stay as they were; length, count, time range and CRC change.
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(8), head.Length);
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(20), keep);
        BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(24), min);
        BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(32), max);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), BatchHeader.ComputeCrc(head));
        return head;
    }

    private static void ReadExactly(Segment segment, Span<byte> destination, long position)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = RandomAccess.Read(segment.Handle, destination[read..], position + read);
            if (n == 0)
                throw new CorruptSegmentException(segment.LogPath, position + read, "file shorter than published");
            read += n;
        }
    }
}
