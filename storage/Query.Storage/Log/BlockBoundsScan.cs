using Query.Storage.Format;

namespace Query.Storage.Log;

/// <summary>
/// Gives an index loaded from its files (a segment sealed before this process opened the log) the per-block
/// timestamp bounds that time-range readers jump by, by reading every batch header of the sealed segment once:
/// one small read per batch, no batch body, no CRC (the batches a reader then reads are CRC-checked as always).
/// A header that does not look like one leaves the bounds unknown; the reader that walks there reports it.
/// </summary>
internal static class BlockBoundsScan
{
    public static void Fill(Segment segment, long sizeBytes)
    {
        var index = segment.Index;
        var count = index.Count;
        if (count == 0 || index.HasBlockBounds)
            return;
        var minimums = new long[count];
        var maximums = new long[count];
        minimums.AsSpan().Fill(long.MaxValue);
        maximums.AsSpan().Fill(long.MinValue);
        Span<byte> bytes = stackalloc byte[BatchHeader.Size];
        var entry = 0;
        for (long position = 0; position < sizeBytes;)
        {
            if (position + BatchHeader.Size > sizeBytes
                || RandomAccess.Read(segment.Handle, bytes, position) != BatchHeader.Size)
                return;
            var header = BatchHeader.Read(bytes);
            if (!header.IsPlausible || position + header.BatchLength > sizeBytes)
                return;
            while (entry + 1 < count && index.EntryPosition(entry + 1) <= position)
                entry++;
            minimums[entry] = Math.Min(minimums[entry], header.MinTimestampMs);
            maximums[entry] = Math.Max(maximums[entry], header.MaxTimestampMs);
            position += header.BatchLength;
        }
        index.SetBlockBounds(minimums, maximums);
    }
}
