using Query.Storage.Reading;
using Query.Tiering.Reading;

namespace Query.Engine.Planning;

/// <summary>
/// The offsets of one partition that can hold a record of a ROWTIME window, before any record is read. On the hot
/// log: the index blocks whose timestamps overlap the window
/// (<see cref="HotPartitionSource.FindOffsetRangesForTime"/>), so a range read starts at its first such block and
/// stops after its last, wherever the window lies and whatever the order of timestamps. Below the hot log (cold
/// files of a tiered partition), or on any other source: from the first offset at or after the window's start.
/// </summary>
internal static class TimeOffsets
{
    // More intervals than this (a long IN list of ROWTIMEs) are looked up as one window from their min to their max.
    private const int MaxLookups = 16;

    /// <param name="source">The partition.</param>
    /// <param name="times">The ROWTIME window (not everything).</param>
    /// <param name="end">The snapshot's last stable offset, read before this call.</param>
    public static IntervalSet Of(IPartitionSource source, IntervalSet times, long end)
    {
        var hot = source switch
        {
            HotPartitionSource h => h,
            TieredPartitionSource tiered => tiered.HotSource,
            _ => null,
        };
        if (hot is null)
            return FromFirstAtOrAfter(source, times.Min);
        var ranges = new List<(long Low, long High)>();
        if (times.Intervals.Count > MaxLookups)
            Add(ranges, hot.FindOffsetRangesForTime(times.Min, times.Max, end));
        else
        {
            foreach (var (low, high) in times.Intervals)
                Add(ranges, hot.FindOffsetRangesForTime(low, high, end));
        }
        var offsets = IntervalSet.FromRanges(ranges);
        // Read after the hot ranges: whatever archival moved out of the hot log meanwhile is below it.
        var hotStart = hot.StartOffset;
        if (source.StartOffset < hotStart)
            offsets = offsets.Union(IntervalSet.Range(source.StartOffset, hotStart - 1)
                .Intersect(ColdFromFirstAtOrAfter(source, times.Min)));
        return offsets;
    }

    // The cold part needs only a lower bound: the scan hands the window to the cold reader, which skips files, row
    // groups and rows outside it. The manifest gives one without opening a file; the exact first offset would
    // cost decoding a row group that the scan then decodes again.
    private static IntervalSet ColdFromFirstAtOrAfter(IPartitionSource source, long minTimestampMs) =>
        source is TieredPartitionSource tiered && minTimestampMs != long.MinValue
            ? IntervalSet.AtLeast(tiered.FindColdOffsetBoundForTimestamp(minTimestampMs))
            : FromFirstAtOrAfter(source, minTimestampMs);

    private static IntervalSet FromFirstAtOrAfter(IPartitionSource source, long minTimestampMs) =>
        minTimestampMs == long.MinValue ? IntervalSet.All
            : IntervalSet.AtLeast(source.FindOffsetForTimestamp(minTimestampMs));

    private static void Add(List<(long Low, long High)> ranges, IReadOnlyList<(long Start, long End)> found)
    {
        foreach (var (start, end) in found)
            ranges.Add((start, end - 1));
    }
}
