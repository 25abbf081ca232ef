using System.Buffers;
using System.Runtime.CompilerServices;
using Query.Storage.Format;
using Query.Storage.Log;
using Query.Storage.Reading;

namespace Query.Storage;

/// <summary>
/// Forward-only reader over one partition. Records are views into a pooled buffer, valid until the next
/// <see cref="TryRead"/>. Every batch read is CRC-checked; batches and sealed segments outside the time range
/// are skipped unread: the time index jumps over the start of a segment that is older than the range, and
/// the headers of other batches are read with small reads so skipping never pulls batch bodies from the
/// page cache (timestamps may be out of order, so batches after the range are still checked one by one).
/// <see cref="ReadStatistics.BatchesSkipped"/> counts batches whose header was read and rejected; batches
/// jumped over by the time index are not read at all. At the live end <see cref="TryRead"/> returns false
/// and can be called again later (after <see cref="PartitionLog.WaitForDataAsync"/>) to continue.
/// Opened by <see cref="PartitionLog.OpenReader"/> it throws <see cref="OffsetOutOfRangeException"/> when
/// retention removes the offset it is about to read; opened through <see cref="HotPartitionSource"/> it moves on
/// to the first record still held and counts the offsets passed over.
/// Not thread-safe; dispose it. <see cref="TryRead"/> is compiled optimized at once: a scan calls it per record, and
/// left to tiered compilation a fresh process's first scans ran it unoptimized.
/// </summary>
public sealed partial class LogReader : IRecordReader
{
    private const int SeekReadBytes = 16 * 1024;
    private const int SequentialReadBytes = 512 * 1024;
    // While skipping small batches: one page holds several headers. After a larger batch only the next
    // header is read (the pread is the cost, not a page copy). A 512 KiB refill per skipped header cost ~25 us.
    private const int SkipReadBytes = 4 * 1024;

    private readonly PartitionLog _partition;
    private readonly long _endOffsetExclusive;
    private readonly long _minTimestampMs;
    private readonly long _maxTimestampMs;
    private readonly bool _skipRemovedOffsets;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(SequentialReadBytes);
    private long _bufferStart;
    private int _bufferLength;
    private Segment? _segment;
    private long _filePosition;
    private bool _positionedByIndex;
    private long _timeJumpPosition = -1;   // where the time index sent us past NextOffset, until that batch loads
    private long _nextBlockPosition = long.MaxValue;   // where the next index block starts: look for a jump there
    private int _readAheadBytes;           // seek or skip: small reads; after a batch was read: sequential
    private int _recordPosition;
    private int _batchEnd;
    private long _recordOffset;
    private int _recordsLeft;
    private long _batchPosition;

    internal LogReader(PartitionLog partition, long startOffset, long endOffsetExclusive, long minTimestampMs,
        long maxTimestampMs, bool skipRemovedOffsets = false)
    {
        _partition = partition;
        NextOffset = startOffset;
        _endOffsetExclusive = endOffsetExclusive;
        _minTimestampMs = minTimestampMs;
        _maxTimestampMs = maxTimestampMs;
        _skipRemovedOffsets = skipRemovedOffsets;
        _truncationSequence = partition.TruncationSequence & ~1;   // one running now is noticed at the first load
    }

    /// <summary>The offset the next <see cref="TryRead"/> looks at.</summary>
    public long NextOffset { get; private set; }

    public ReadStatistics Statistics { get; } = new();

    /// <summary>False at <c>endOffsetExclusive</c> or at the current end of the log.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRead(out LogRecord record)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        while (true)
        {
            if (_recordsLeft > 0)
            {
                var size = RecordFormat.TryParse(_buffer.AsSpan(_recordPosition, _batchEnd - _recordPosition),
                    _recordOffset, out record);
                if (size < 0)
                    throw new CorruptSegmentException(_segment!.LogPath, _batchPosition, "malformed record");
                _recordPosition += size;
                _recordOffset++;
                _recordsLeft--;
                if (record.Offset < NextOffset)
                    continue;                           // before the start offset, inside the first batch
                if (record.Offset >= _endOffsetExclusive)
                {
                    _recordsLeft = 0;
                    record = default;
                    return false;
                }
                NextOffset = record.Offset + 1;
                return true;
            }
            record = default;
            if (NextOffset >= _endOffsetExclusive || !TryLoadNextBatch())
                return false;
        }
    }

    /// <summary>Moves <see cref="NextOffset"/> up to <paramref name="startOffset"/> (the log start after
    /// retention), counting the offsets passed over that this reader would have returned.</summary>
    internal void SkipRemovedOffsets(long startOffset)
    {
        if (NextOffset >= startOffset)
            return;
        // Offsets below 0 never existed, and those past the reader's end were not asked for.
        Statistics.OffsetsSkippedByRetention += Math.Max(0, Math.Min(startOffset, _endOffsetExclusive)
            - Math.Max(0, Math.Min(NextOffset, _endOffsetExclusive)));
        NextOffset = startOffset;
    }

    public void Dispose()
    {
        ReleaseSegment();
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }

    private bool TryLoadNextBatch()
    {
        while (true)
        {
            if (NextOffset >= _endOffsetExclusive)
                return false;                                   // skipped past the end: no need to walk on
            if (_segment is null && !TryPositionSegment())
                return false;
            var segment = _segment!;
            var isSealed = segment.IsSealed;                   // read before the size: see Segment.IsSealed
            var sizeBytes = segment.SizeBytes;
            if (_filePosition >= sizeBytes)
            {
                if (NoticedTruncation())
                    continue;                                   // the segment may have been cut or replaced
                // Sealed but still last: the writer is between sealing it and publishing the next segment.
                if (!isSealed || ReferenceEquals(_partition.ActiveSegment, segment))
                    return false;
                NextOffset = Math.Max(NextOffset, segment.EndOffset);
                ReleaseSegment();
                continue;
            }
            if (_filePosition >= _nextBlockPosition && JumpOverBlocksOutsideRange(segment, isSealed, sizeBytes))
                continue;
            if (TryLoadBatchChecked(segment, sizeBytes))
                return true;
        }
    }

    // Reads the batch at _filePosition; true when it is ready to iterate, false when it was skipped.
    private bool TryLoadBatchAt(Segment segment, long sizeBytes)
    {
        var position = _filePosition;
        Ensure(segment, position, BatchHeader.Size, sizeBytes);
        var header = BatchHeader.Read(_buffer.AsSpan((int)(position - _bufferStart), BatchHeader.Size));
        if (!header.IsPlausible || position + header.BatchLength > sizeBytes || header.BaseOffset < segment.BaseOffset
            || (header.BaseOffset > NextOffset && !IsTimeJumpTarget(segment, position, header)))
        {
            return RetryWithoutIndex(segment, position, "invalid batch header");
        }
        _timeJumpPosition = -1;
        if (header.BaseOffset >= _endOffsetExclusive)
            return false;                   // a time jump went past the end: TryLoadNextBatch stops
        if (header.EndOffset <= NextOffset || header.MaxTimestampMs < _minTimestampMs
            || header.MinTimestampMs > _maxTimestampMs)
        {
            if (header.EndOffset > NextOffset)
            {
                Statistics.BatchesSkipped++;
                NextOffset = header.EndOffset;
            }
            _filePosition += header.BatchLength;
            _positionedByIndex = false;
            _readAheadBytes = header.BatchLength < SkipReadBytes ? SkipReadBytes : BatchHeader.Size;
            return false;
        }
        Ensure(segment, position, header.BatchLength, sizeBytes);
        var start = (int)(position - _bufferStart);
        if (!header.CrcMatches(_buffer.AsSpan(start, header.BatchLength)))
            return RetryWithoutIndex(segment, position, "CRC-32C mismatch");
        _positionedByIndex = false;
        // Overlapping data is usually followed by more of it; in a time range, by about one more batch (a
        // 512 KiB read-ahead there copied more than the range's batches did).
        _readAheadBytes = IsTimeBounded ? Math.Min(SequentialReadBytes, 2 * header.BatchLength) : SequentialReadBytes;
        _batchPosition = position;
        _recordPosition = start + BatchHeader.Size;
        _batchEnd = start + header.BatchLength;
        _recordOffset = header.BaseOffset;
        _recordsLeft = header.RecordCount;
        _filePosition = position + header.BatchLength;
        Statistics.BatchesRead++;
        Statistics.BytesRead += header.BatchLength;
        return true;
    }

    // A bad batch right where the index pointed may mean a damaged index: rescan the segment from its start,
    // without index jumps.
    private bool RetryWithoutIndex(Segment segment, long position, string problem)
    {
        if (!_positionedByIndex || position == 0)
            throw new CorruptSegmentException(segment.LogPath, position, problem);
        _positionedByIndex = false;
        _timeJumpPosition = -1;
        _nextBlockPosition = long.MaxValue;
        _filePosition = 0;
        return false;
    }

    // At the start of each index block, a time-range reader jumps over the blocks whose timestamps all lie
    // outside its range (the index keeps each block's min and max), so a range costs the blocks that overlap
    // it, wherever it lies and whatever the order of the timestamps. True when it moved.
    private bool JumpOverBlocksOutsideRange(Segment segment, bool isSealed, long sizeBytes)
    {
        if (isSealed && !segment.Index.HasBlockBounds)
            BlockBoundsScan.Fill(segment, sizeBytes);        // once per segment loaded from its index files
        var found = segment.Index.FindBlockOverlapping(_filePosition, _minTimestampMs, _maxTimestampMs,
            out var blockPosition, out var nextBlockPosition);
        _nextBlockPosition = found ? nextBlockPosition : long.MaxValue;
        if (!found && isSealed)
        {
            _filePosition = sizeBytes;         // nothing after here overlaps: on to the next segment
            return true;
        }
        if (blockPosition <= _filePosition)
            return false;
        _filePosition = _timeJumpPosition = blockPosition;   // checked against the offset index when loaded
        _positionedByIndex = true;
        _readAheadBytes = SeekReadBytes;
        return true;
    }

    // The first batch after a time-index jump starts past NextOffset by design: every record in between is
    // older than the range (the entry's maxTimestampBefore says so). Accepted only if the offset index agrees
    // that an indexed batch starting at this offset sits at this position; anything else is a damaged index.
    private bool IsTimeJumpTarget(Segment segment, long position, BatchHeader header)
    {
        if (position != _timeJumpPosition || segment.Index.FindPosition(header.BaseOffset - segment.BaseOffset)
            != position)
            return false;
        NextOffset = header.BaseOffset;
        return true;
    }

    private bool TryPositionSegment()
    {
        while (true)
        {
            _partition.ThrowIfDeleted();
            var segments = _partition.Segments;
            if (NextOffset < segments[0].BaseOffset)
            {
                if (!_skipRemovedOffsets)
                    throw new OffsetOutOfRangeException(NextOffset, segments[0].BaseOffset, _partition.EndOffset);
                SkipRemovedOffsets(segments[0].BaseOffset);
            }
            var i = FindSegment(segments, NextOffset);
            while (i < segments.Length - 1 && segments[i].IsSealed && !OverlapsTimeRange(segments[i]))
            {
                NextOffset = Math.Max(NextOffset, segments[i].EndOffset);
                i++;
            }
            var segment = segments[i];
            if (NextOffset >= _endOffsetExclusive)
                return false;
            if (!segment.TryAcquire())
                continue;                                       // deleted meanwhile: look again
            _segment = segment;
            _filePosition = segment.Index.FindPosition(NextOffset - segment.BaseOffset);
            _timeJumpPosition = -1;
            if (_minTimestampMs != long.MinValue)
            {
                // The last indexed batch before which every record is older than the range: jump to it.
                var byTime = segment.Index.FindPositionForTimestamp(_minTimestampMs);
                if (byTime > _filePosition)
                    _filePosition = _timeJumpPosition = byTime;
            }
            _positionedByIndex = _filePosition > 0;
            _nextBlockPosition = IsTimeBounded ? 0 : long.MaxValue;
            _readAheadBytes = SeekReadBytes;
            _bufferLength = 0;
            Statistics.SegmentsOpened++;
            return true;
        }
    }

    private bool IsTimeBounded => _minTimestampMs != long.MinValue || _maxTimestampMs != long.MaxValue;

    private bool OverlapsTimeRange(Segment segment) =>
        segment.MaxTimestampMs >= _minTimestampMs && segment.MinTimestampMs <= _maxTimestampMs;

    private static int FindSegment(Segment[] segments, long offset)
    {
        int lo = 0, hi = segments.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >>> 1;
            if (segments[mid].BaseOffset <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    }

    // Makes [position, position + needed) resident, reading ahead up to the published size.
    private void Ensure(Segment segment, long position, int needed, long sizeBytes) =>
        SegmentWindow.Ensure(segment, ref _buffer, ref _bufferStart, ref _bufferLength, position, needed,
            _readAheadBytes, sizeBytes);

    private void ReleaseSegment()
    {
        _segment?.Release();
        _segment = null;
        _recordsLeft = 0;
    }
}
