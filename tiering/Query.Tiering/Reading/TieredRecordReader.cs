using Query.Storage;
using Query.Storage.Reading;

namespace Query.Tiering.Reading;

/// <summary>
/// The reader of a <see cref="TieredPartitionSource"/>: cold files below the hot start, then the hot log, in
/// offset order. The tier is chosen again at every switch from the current hot start, so archival running
/// meanwhile never makes it miss or repeat an offset: when the hot reader reports that deletion overtook it
/// (the segments it was about to read were archived and released), the record it returned is dropped and the
/// skipped offsets are read from cold. Offsets that expired from both tiers are stepped over and counted.
/// </summary>
public sealed class TieredRecordReader : IRecordReader
{
    private readonly TieredPartitionSource _source;
    private readonly long _endOffsetExclusive;
    private readonly long _minTimestampMs;
    private readonly long _maxTimestampMs;
    private readonly IReadOnlySet<int>? _columns;
    private readonly IReadOnlyList<ColumnPredicate>? _filter;
    private ColdPartitionReader? _cold;
    private IRecordReader? _hot;
    private long _hotSkippedAtOpen;
    private readonly ReadStatistics _closed = new();     // readers already closed, and offsets skipped

    internal TieredRecordReader(TieredPartitionSource source, long startOffset, long endOffsetExclusive,
        long minTimestampMs, long maxTimestampMs, IReadOnlySet<int>? columns, IReadOnlyList<ColumnPredicate>? filter)
    {
        _source = source;
        _columns = columns;
        _filter = filter;
        NextOffset = startOffset;
        _endOffsetExclusive = endOffsetExclusive;
        _minTimestampMs = minTimestampMs;
        _maxTimestampMs = maxTimestampMs;
    }

    public long NextOffset { get; private set; }

    /// <summary>Hot reads of this reader so far plus offsets it stepped over; a fresh snapshot per call.</summary>
    public ReadStatistics Statistics
    {
        get
        {
            var live = _hot?.Statistics;
            return new ReadStatistics
            {
                SegmentsOpened = _closed.SegmentsOpened + (live?.SegmentsOpened ?? 0),
                BatchesRead = _closed.BatchesRead + (live?.BatchesRead ?? 0),
                BatchesSkipped = _closed.BatchesSkipped + (live?.BatchesSkipped ?? 0),
                BytesRead = _closed.BytesRead + (live?.BytesRead ?? 0),
                OffsetsSkippedByRetention = _closed.OffsetsSkippedByRetention,
            };
        }
    }

    /// <summary>What the cold part of this read opened and skipped.</summary>
    public ColdReadStatistics ColdStatistics { get; } = new();

    public bool TryRead(out LogRecord record)
    {
        while (true)
        {
            if (_cold is not null)
            {
                if (_cold.TryRead(out record))
                {
                    NextOffset = record.Offset + 1;
                    return true;
                }
                NextOffset = Math.Max(NextOffset, _cold.NextOffset);
                CloseCold();
                continue;
            }
            if (_hot is not null)
            {
                var read = _hot.TryRead(out record);
                if (_hot.Statistics.OffsetsSkippedByRetention > _hotSkippedAtOpen)
                {
                    CloseHot();             // overtaken by archival: the offsets it skipped are cold now
                    continue;
                }
                if (read)
                {
                    NextOffset = record.Offset + 1;
                    return true;
                }
                NextOffset = Math.Max(NextOffset, _hot.NextOffset);
                return false;               // the live end or the end of the range; callable again later
            }
            if (NextOffset >= _endOffsetExclusive || !OpenNext())
            {
                record = default;
                return false;
            }
        }
    }

    public void Dispose()
    {
        CloseCold();
        CloseHot();
    }

    // Picks the tier that holds NextOffset now. False only when there is nothing left to open.
    private bool OpenNext()
    {
        var hotStart = _source.Log.StartOffset;
        if (NextOffset < hotStart)
        {
            var manifest = _source.Tier.Manifest;
            var coldEnd = Math.Min(manifest.EndOffset, hotStart);
            if (NextOffset < manifest.StartOffset && manifest.StartOffset < coldEnd)
                Skip(manifest.StartOffset);
            if (NextOffset < coldEnd)
            {
                _cold = new ColdPartitionReader(_source.Tier, _source.Layout, new ColdScanRange(NextOffset,
                    Math.Min(_endOffsetExclusive, coldEnd), _minTimestampMs, _maxTimestampMs, _columns)
                { Filter = _filter });
                return true;
            }
            Skip(hotStart);                 // expired from cold, or never archived before retention took it
            if (NextOffset >= _endOffsetExclusive)
                return false;
        }
        _hot = _source.HotSource.OpenReader(NextOffset, _endOffsetExclusive, _minTimestampMs, _maxTimestampMs);
        _hotSkippedAtOpen = 0;
        if (_hot.Statistics.OffsetsSkippedByRetention > 0)
        {
            CloseHot();                     // archived between the check and the open: choose again
            return OpenNext();
        }
        return true;
    }

    private void Skip(long to)
    {
        var target = Math.Min(to, _endOffsetExclusive);
        if (target <= NextOffset)
            return;
        _closed.OffsetsSkippedByRetention += target - NextOffset;
        NextOffset = target;
    }

    private void CloseCold()
    {
        if (_cold is null)
            return;
        ColdStatistics.Add(_cold.Statistics);
        _closed.OffsetsSkippedByRetention += _cold.OffsetsSkippedByRetention;
        _cold.Dispose();
        _cold = null;
    }

    private void CloseHot()
    {
        if (_hot is null)
            return;
        var hot = _hot.Statistics;
        _closed.SegmentsOpened += hot.SegmentsOpened;
        _closed.BatchesRead += hot.BatchesRead;
        _closed.BatchesSkipped += hot.BatchesSkipped;
        _closed.BytesRead += hot.BytesRead;
        _hot.Dispose();
        _hot = null;
    }
}
