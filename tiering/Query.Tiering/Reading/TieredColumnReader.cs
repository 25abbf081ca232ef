using Query.Storage.Reading;

namespace Query.Tiering.Reading;

/// <summary>
/// The column reader of a <see cref="TieredPartitionSource"/>: the cold files' row groups of a range as column
/// batches, from a start offset in the cold tier up to the cold end (the hot start when it opened), or up to a
/// row group holding rows kept raw. Everything else (the hot log, offsets that expired, rows kept raw) is left
/// to the record reader, which chooses the tier again from the current hot start: archival running meanwhile
/// never makes the two miss or repeat an offset.
/// </summary>
internal sealed class TieredColumnReader : IColumnBatchReader
{
    private readonly long _endOffsetExclusive;
    private readonly ColumnBatch _batch = new();
    private ColdPartitionReader? _cold;

    public TieredColumnReader(TieredPartitionSource source, long startOffset, long endOffsetExclusive,
        ColdScanRange range)
    {
        _endOffsetExclusive = endOffsetExclusive;
        NextOffset = startOffset;
        ResumeOffset = endOffsetExclusive;
        var hotStart = source.Log.StartOffset;
        var manifest = source.Tier.Manifest;
        var coldEnd = Math.Min(manifest.EndOffset, hotStart);
        if (startOffset >= manifest.StartOffset && startOffset < coldEnd && startOffset < endOffsetExclusive)
            _cold = new ColdPartitionReader(source.Tier, source.Layout,
                range with { StartOffset = startOffset, EndOffsetExclusive = Math.Min(endOffsetExclusive, coldEnd) });
    }

    public long NextOffset { get; private set; }

    public long ResumeOffset { get; private set; }

    public long OffsetsSkippedByRetention { get; private set; }

    public bool TryRead(out ColumnBatch batch)
    {
        batch = _batch;
        if (_cold is null)
            return false;
        if (_cold.TryReadBatch(_batch))
        {
            NextOffset = _cold.NextOffset;
            return true;
        }
        NextOffset = _cold.NextOffset;
        ResumeOffset = _cold.RawEndOffset > NextOffset ? _cold.RawEndOffset : _endOffsetExclusive;
        Close();
        return false;
    }

    public void Dispose() => Close();

    private void Close()
    {
        if (_cold is null)
            return;
        OffsetsSkippedByRetention += _cold.OffsetsSkippedByRetention;
        _cold.Dispose();
        _cold = null;
    }
}
