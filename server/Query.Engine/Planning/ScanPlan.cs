using System.Text;
using Query.Engine.Binding;
using Query.Engine.Execution;

namespace Query.Engine.Planning;

/// <summary>What one partition of a scan reads: offset ranges [start, end) and a timestamp window.</summary>
public sealed record PartitionScan(int Partition, IReadOnlyList<(long Start, long EndExclusive)> Ranges,
    long MinTimestampMs, long MaxTimestampMs);

/// <summary>
/// The storage reads of a query over one stream, decided from its WHERE clause before any byte is read. A pull
/// query's ranges lie within each partition source's [start, last stable offset) captured when it starts (a
/// consistent snapshot); retention that moves a start later is the source's business when the ranges are read.
/// </summary>
public sealed record ScanPlan(StreamRuntime Stream, IReadOnlyList<PartitionScan> Partitions)
{
    /// <summary>The stream columns the query reads (null: all); sources that can, read only those.</summary>
    public IReadOnlySet<int>? Columns { get; init; }

    /// <summary>Whether the stream's TIMESTAMP column is read only to admit rows (the query reads neither it nor
    /// ROWTIME: <see cref="ScanColumns.Of(Logical.LogicalPlan, out bool)"/>); a columnar source may then leave it
    /// undecoded where its statistics admit every row.</summary>
    public bool TimestampColumnOnlyAdmits { get; init; }

    /// <summary>Column predicates every row the query keeps satisfies (<see cref="ColumnFilterAnalyzer"/>), for
    /// sources that skip parts and rows by them; empty: none.</summary>
    public IReadOnlyList<Query.Storage.Reading.ColumnPredicate> Filter { get; init; } = [];

    /// <summary>
    /// Plans a bounded scan: per partition, the predicate's region within [StartOffset, LastStableOffset).
    /// </summary>
    public static ScanPlan ForPull(StreamRuntime stream, BoundExpr? where)
    {
        var partitions = new List<PartitionScan>();
        for (var p = 0; p < stream.Sources.Count; p++)
        {
            var region = PushdownAnalyzer.Analyze(where, p);
            if (region.IsEmpty)
                continue;
            var source = stream.Sources[p];
            var end = source.LastStableOffset;
            var offsets = region.Offsets.Intersect(IntervalSet.Range(source.StartOffset, end - 1));
            var (minTs, maxTs) = TimeWindow(region);
            if (!region.Times.IsAll && !offsets.IsEmpty)
                offsets = offsets.Intersect(TimeOffsets.Of(source, region.Times, end));
            var ranges = new List<(long, long)>();
            foreach (var (low, high) in offsets.Intervals)
                ranges.Add((low, high + 1));
            if (ranges.Count > 0)
                partitions.Add(new PartitionScan(p, ranges, minTs, maxTs));
        }
        return new ScanPlan(stream, partitions) { Filter = ColumnFilterAnalyzer.Of(where, stream.Definition) };
    }

    internal static (long Min, long Max) TimeWindow(ScanRegion region) =>
        region.Times.IsAll ? (long.MinValue, long.MaxValue) : (region.Times.Min, region.Times.Max);

    /// <summary>
    /// EXPLAIN text: per partition, the offset ranges, the time window and the segments (or other units of
    /// storage, as the partition source names them) they touch.
    /// </summary>
    public void Describe(StringBuilder builder)
    {
        builder.Append("  Scan ").Append(Stream.Definition.Name).Append(" (").Append(Stream.Sources.Count)
            .Append(" partitions, ").Append(Partitions.Count).Append(" to read)").AppendLine();
        foreach (var partition in Partitions)
        {
            builder.Append("    partition ").Append(partition.Partition).Append(": offsets ");
            for (var i = 0; i < partition.Ranges.Count; i++)
                builder.Append(i == 0 ? "" : ", ").Append('[').Append(partition.Ranges[i].Start).Append(", ")
                    .Append(partition.Ranges[i].EndExclusive).Append(')');
            if (partition.MinTimestampMs != long.MinValue || partition.MaxTimestampMs != long.MaxValue)
                builder.Append("; rowtime [").Append(Bound(partition.MinTimestampMs)).Append(", ")
                    .Append(Bound(partition.MaxTimestampMs)).Append(']');
            builder.AppendLine();
            DescribeSegments(builder, partition);
        }
    }

    private static string Bound(long value) =>
        value == long.MinValue ? "-inf" : value == long.MaxValue ? "+inf" : Types.Temporal.FormatTimestamp(value);

    // Lists what the scan reads; cold files it skips are counted by what pruned them (offsets come from
    // ROWOFFSET and the manifest's ranges, time from ROWTIME and each file's rowtime range).
    private void DescribeSegments(StringBuilder builder, PartitionScan partition)
    {
        var source = Stream.Sources[partition.Partition];
        var extents = source.DescribeExtents();
        int coldRead = 0, prunedByOffset = 0, prunedByTime = 0;
        var groups = new PartCounts();
        foreach (var extent in extents)
        {
            var overlapsOffsets = false;
            foreach (var (start, end) in partition.Ranges)
                overlapsOffsets |= extent.BaseOffset < end && extent.EndOffset > start;
            var cold = extent.Kind == Query.Tiering.Reading.TieredPartitionSource.FileKind;
            if (!overlapsOffsets || !extent.OverlapsTime(partition.MinTimestampMs, partition.MaxTimestampMs))
            {
                prunedByOffset += cold && !overlapsOffsets ? 1 : 0;
                prunedByTime += cold && overlapsOffsets ? 1 : 0;
                continue;
            }
            coldRead += cold ? 1 : 0;
            builder.Append("      ").Append(extent.Kind).Append(' ').Append(extent.Name).Append(" offsets [")
                .Append(extent.BaseOffset).Append(", ").Append(extent.EndOffset).Append(") ")
                .Append(extent.SizeBytes).Append(" bytes").AppendLine();
            if (cold && source is Query.Storage.Reading.IProjectingPartitionSource columnar)
                DescribeParts(builder, partition, PartsOf(columnar, extent), groups);
        }
        if (coldRead + prunedByOffset + prunedByTime > 0)
        {
            builder.Append("      cold files: ").Append(coldRead).Append(" to read, ").Append(prunedByOffset)
                .Append(" pruned by offset, ").Append(prunedByTime).Append(" pruned by rowtime").AppendLine();
            builder.Append("      row groups of those files: ").Append(groups.Read).Append(" to read, ")
                .Append(groups.PrunedByOffset).Append(" pruned by offset, ").Append(groups.PrunedByTime)
                .Append(" pruned by rowtime");
            if (Filter.Count > 0)
                builder.Append(", ").Append(groups.PrunedByFilter).Append(" pruned by column statistics (")
                    .Append(FilterText()).Append(')');
            builder.AppendLine();
        }
    }

    private IReadOnlyList<Query.Storage.Reading.SourceExtent> PartsOf(
        Query.Storage.Reading.IProjectingPartitionSource columnar, Query.Storage.Reading.SourceExtent extent) =>
        Filter.Count > 0 && columnar is Query.Storage.Reading.IFilteringPartitionSource filtering
            ? filtering.DescribeParts(extent, Filter) : columnar.DescribeParts(extent);

    // The column predicates as SQL, with the stream's column names.
    private string FilterText()
    {
        var text = new StringBuilder();
        foreach (var predicate in Filter)
        {
            text.Append(text.Length == 0 ? "" : " AND ")
                .Append(predicate.Describe(Stream.Definition.Columns[predicate.Column].Name));
        }
        return text.ToString();
    }

    // The row groups of a cold file to read, by the file's own statistics (what the reader skips by).
    private static void DescribeParts(StringBuilder builder, PartitionScan partition,
        IReadOnlyList<Query.Storage.Reading.SourceExtent> parts, PartCounts counts)
    {
        foreach (var part in parts)
        {
            var overlapsOffsets = false;
            foreach (var (start, end) in partition.Ranges)
                overlapsOffsets |= part.BaseOffset < end && part.EndOffset > start;
            if (!overlapsOffsets)
            {
                counts.PrunedByOffset++;
                continue;
            }
            if (!part.OverlapsTime(partition.MinTimestampMs, partition.MaxTimestampMs))
            {
                counts.PrunedByTime++;
                continue;
            }
            if (part.ExcludedByFilter)
            {
                counts.PrunedByFilter++;
                continue;
            }
            counts.Read++;
            builder.Append("        ").Append(part.Kind).Append(' ').Append(part.Name).Append(" offsets [")
                .Append(part.BaseOffset).Append(", ").Append(part.EndOffset).Append(") rowtime [")
                .Append(Bound(part.MinTimestampMs)).Append(", ").Append(Bound(part.MaxTimestampMs)).Append("] ")
                .Append(part.SizeBytes).Append(" bytes").AppendLine();
        }
    }

    private sealed class PartCounts
    {
        public int Read;
        public int PrunedByOffset;
        public int PrunedByTime;
        public int PrunedByFilter;
    }
}
