using System.Buffers;
using Query.Storage.Format;

namespace Query.Storage.Log;

/// <summary>
/// "Offsets for time" inside one segment: the time index gives a batch before which every record is older
/// than T; from there batch headers are walked to the first batch whose max timestamp reaches T, which is
/// CRC-checked and searched record by record. Correct with non-monotonic timestamps because the index holds
/// the running maximum and batches carry their own min and max.
/// </summary>
internal static class TimestampSearch
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>First offset in the segment whose timestamp is at or after T, or -1 when there is none.</summary>
    public static long Find(Segment segment, long timestampMs)
    {
        var sizeBytes = segment.SizeBytes;
        var position = segment.Index.FindPositionForTimestamp(timestampMs);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        long bufferStart = 0;
        var bufferLength = 0;
        try
        {
            while (position < sizeBytes)
            {
                SegmentWindow.Ensure(segment, ref buffer, ref bufferStart, ref bufferLength, position,
                    BatchHeader.Size, ChunkBytes, sizeBytes);
                var start = (int)(position - bufferStart);
                var header = BatchHeader.Read(buffer.AsSpan(start, BatchHeader.Size));
                if (!header.IsPlausible || position + header.BatchLength > sizeBytes)
                    throw new CorruptSegmentException(segment.LogPath, position, "invalid batch header");
                if (header.MaxTimestampMs >= timestampMs)
                {
                    SegmentWindow.Ensure(segment, ref buffer, ref bufferStart, ref bufferLength, position,
                        header.BatchLength, ChunkBytes, sizeBytes);
                    start = (int)(position - bufferStart);
                    return FindInBatch(segment, buffer.AsSpan(start, header.BatchLength), header, position,
                        timestampMs);
                }
                position += header.BatchLength;
            }
            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long FindInBatch(Segment segment, ReadOnlySpan<byte> batch, BatchHeader header, long position,
        long timestampMs)
    {
        if (!header.CrcMatches(batch))
            throw new CorruptSegmentException(segment.LogPath, position, "CRC-32C mismatch");
        var records = batch[BatchHeader.Size..];
        for (var i = 0; i < header.RecordCount; i++)
        {
            var size = RecordFormat.TryParse(records, header.BaseOffset + i, out var record);
            if (size < 0)
                throw new CorruptSegmentException(segment.LogPath, position, "malformed record");
            if (record.TimestampMs >= timestampMs)
                return record.Offset;
            records = records[size..];
        }
        throw new CorruptSegmentException(segment.LogPath, position, "batch max timestamp matches no record");
    }
}
