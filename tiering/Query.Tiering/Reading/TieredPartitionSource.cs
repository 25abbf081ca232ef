using Query.Storage;
using Query.Storage.Reading;
using Query.Tiering.Layout;

namespace Query.Tiering.Reading;

/// <summary>
/// A partition read as one sequence of offsets over both tiers: offsets below the hot log's start come from the
/// cold files of the manifest, the rest from the hot log (Kafka's rule for tiered topics). While archival runs
/// both copies of a range may exist for a moment; the boundary is the hot start at the time of each switch, so
/// no offset is returned twice and none is missed. The engine sees only <see cref="IPartitionSource"/>.
/// </summary>
public sealed class TieredPartitionSource : IColumnarPartitionSource
{
    /// <summary>What <see cref="SourceExtent.Kind"/> says for a cold file.</summary>
    public const string FileKind = "file";

    private readonly HotPartitionSource _hotSource;
    private readonly Func<IColumnLayout> _layout;

    public TieredPartitionSource(PartitionLog log, PartitionTier tier, Func<IColumnLayout> layout)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(layout);
        Log = log;
        Tier = tier;
        _layout = layout;
        _hotSource = new HotPartitionSource(log);
    }

    internal PartitionLog Log { get; }
    internal PartitionTier Tier { get; }
    internal IColumnLayout Layout => _layout();
    /// <summary>The hot log's part of the partition: records at and after its start are read from it as they are.
    /// </summary>
    public HotPartitionSource HotSource => _hotSource;

    public string LogName => _hotSource.LogName;
    public int Partition => Log.Partition;

    public long StartOffset
    {
        get
        {
            var hotStart = Log.StartOffset;
            var manifest = Tier.Manifest;
            return manifest.StartOffset < manifest.EndOffset ? Math.Min(manifest.StartOffset, hotStart) : hotStart;
        }
    }

    public long EndOffset => Log.EndOffset;
    public long LastStableOffset => _hotSource.LastStableOffset;

    public long FindOffsetForTimestamp(long timestampMs)
    {
        var hotStart = Log.StartOffset;
        using var lease = Tier.Lease();      // compaction may replace the files meanwhile; they stay until then
        foreach (var file in lease.Manifest.Files)
        {
            if (file.BaseOffset >= hotStart || file.MaxTimestampMs < timestampMs)
                continue;
            var offset = Parquet.ColdFileReader.FindOffsetForTimestamp(Tier.FullPath(file), timestampMs);
            if (offset >= 0 && offset < hotStart)
                return offset;
        }
        return _hotSource.FindOffsetForTimestamp(timestampMs);
    }

    /// <summary>
    /// A lower bound of the first cold offset whose ROWTIME is at or after <paramref name="timestampMs"/>, from the
    /// manifest alone (no file is opened): the first offset of the first cold file below the hot start whose
    /// newest row is at or after it; the hot start when there is none. For callers that read with the time window
    /// (the cold reader then skips files, row groups and rows outside it); <see cref="FindOffsetForTimestamp"/> is
    /// exact.
    /// </summary>
    public long FindColdOffsetBoundForTimestamp(long timestampMs)
    {
        var hotStart = Log.StartOffset;
        foreach (var file in Tier.Manifest.Files)
        {
            if (file.BaseOffset >= hotStart)
                break;
            if (file.MaxTimestampMs >= timestampMs)
                return file.BaseOffset;
        }
        return hotStart;
    }

    public IRecordReader OpenReader(long startOffset, long endOffsetExclusive = long.MaxValue,
        long minTimestampMs = long.MinValue, long maxTimestampMs = long.MaxValue) =>
        new TieredRecordReader(this, startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs, null, null);

    /// <summary>Cold files read only <paramref name="valueColumns"/>; hot records come whole.</summary>
    public IRecordReader OpenReader(long startOffset, long endOffsetExclusive, long minTimestampMs,
        long maxTimestampMs, IReadOnlySet<int>? valueColumns) =>
        new TieredRecordReader(this, startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs, valueColumns,
            null);

    /// <summary>Cold files read only <paramref name="valueColumns"/> and the filter's columns, skip row groups the
    /// filter's statistics exclude and leave out rows that fail it; hot records come whole.</summary>
    public IRecordReader OpenReader(long startOffset, long endOffsetExclusive, long minTimestampMs,
        long maxTimestampMs, IReadOnlySet<int>? valueColumns, IReadOnlyList<ColumnPredicate> filter) =>
        new TieredRecordReader(this, startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs, valueColumns,
            filter);

    /// <summary>The cold row groups from <paramref name="startOffset"/> as column batches (none when it is not
    /// cold now); the record reader takes the rest.</summary>
    public IColumnBatchReader OpenColumnReader(long startOffset, long endOffsetExclusive, long minTimestampMs,
        long maxTimestampMs, IReadOnlySet<int> valueColumns, IReadOnlyList<ColumnPredicate> filter, bool timestamps,
        int admissionColumn)
    {
        ArgumentNullException.ThrowIfNull(valueColumns);
        ArgumentNullException.ThrowIfNull(filter);
        foreach (var column in valueColumns)
        {
            if (!CanReadAsColumns(column))
                throw new ArgumentException($"column {column} cannot be read as a column vector", nameof(valueColumns));
        }
        var range = new ColdScanRange(startOffset, endOffsetExclusive, minTimestampMs, maxTimestampMs, valueColumns)
        {
            Filter = filter,
            Columnar = true,
            Timestamps = timestamps,
            AdmissionColumn = admissionColumn,
        };
        return new TieredColumnReader(this, startOffset, endOffsetExclusive, range);
    }

    public bool CanReadAsColumns(int column)
    {
        var columns = Layout.Columns;
        return column >= 0 && column < columns.Count && !columns[column].Type.IsNested;
    }

    public ValueTask WaitForDataAsync(long offset, CancellationToken cancellationToken) =>
        _hotSource.WaitForDataAsync(offset, cancellationToken);

    public IReadOnlyList<SourceExtent> DescribeExtents(long startOffset = 0, long endOffsetExclusive = long.MaxValue)
    {
        var hotStart = Log.StartOffset;
        var extents = new List<SourceExtent>();
        foreach (var file in Tier.Manifest.Files)
        {
            if (file.EndOffset > startOffset && file.BaseOffset < Math.Min(endOffsetExclusive, hotStart))
                extents.Add(new SourceExtent(FileKind, file.RelativePath, file.BaseOffset, file.EndOffset,
                    file.MinTimestampMs, file.MaxTimestampMs, file.SizeBytes));
        }
        extents.AddRange(_hotSource.DescribeExtents(Math.Max(startOffset, hotStart), endOffsetExclusive));
        return extents;
    }

    /// <summary>The row groups of a cold file (from its footer); nothing for a hot segment.</summary>
    public IReadOnlyList<SourceExtent> DescribeParts(SourceExtent extent) => DescribeParts(extent, []);

    /// <summary>The row groups of a cold file, those the filter's statistics exclude marked; nothing for a hot
    /// segment.</summary>
    public IReadOnlyList<SourceExtent> DescribeParts(SourceExtent extent, IReadOnlyList<ColumnPredicate> filter)
    {
        ArgumentNullException.ThrowIfNull(extent);
        ArgumentNullException.ThrowIfNull(filter);
        if (extent.Kind != FileKind)
            return [];
        using var lease = Tier.Lease();      // the file stays while its footer is read, even if merged meanwhile
        foreach (var file in lease.Manifest.Files)
        {
            if (file.RelativePath == extent.Name)
                return Parquet.ColdFileRowGroups.Describe(Tier.FullPath(file), Layout, filter);
        }
        return [];                           // merged or expired since the extent was listed
    }

    public override string ToString() => $"{LogName}/{Partition} (cold files, then hot log)";
}
