namespace Query.Storage.Reading;

/// <summary>
/// One partition as a reader sees it, whatever holds its records: the hot segment log
/// (<see cref="HotPartitionSource"/>), cold files below it, a remote broker. The engine reads storage only
/// through this seam, so a source can be swapped without the engine knowing.
/// <para>Offsets are dense logical record numbers. [<see cref="StartOffset"/>, <see cref="LastStableOffset"/>)
/// is what can be read now. Records below <see cref="StartOffset"/> were removed by retention: the source owns
/// that clamp, so <see cref="OpenReader"/> never fails for a start below it; the reader begins at the first
/// record still held and counts what it stepped over in <see cref="ReadStatistics.OffsetsSkippedByRetention"/>
/// (also when retention overtakes a reader that is already open). Readers never return a record at or past
/// <see cref="LastStableOffset"/>: data of a transaction whose outcome is not known, or which aborted, is never
/// visible through a source.</para>
/// <para>Thread-safe; any number of readers may be open at once. Each <see cref="IRecordReader"/> is
/// single-threaded. A dropped log makes calls throw <see cref="LogDeletedException"/>.</para>
/// </summary>
public interface IPartitionSource
{
    /// <summary>The name of the log this partition belongs to.</summary>
    string LogName { get; }

    int Partition { get; }

    /// <summary>First readable offset; rises as retention removes records.</summary>
    long StartOffset { get; }

    /// <summary>One past the last offset assigned (visible or not).</summary>
    long EndOffset { get; }

    /// <summary>One past the last offset readers may see; at most <see cref="EndOffset"/>.</summary>
    long LastStableOffset { get; }

    /// <summary>
    /// The first offset whose record timestamp is at or after <paramref name="timestampMs"/>, or
    /// <see cref="LastStableOffset"/> when there is none. Correct for non-monotonic timestamps.
    /// </summary>
    long FindOffsetForTimestamp(long timestampMs);

    /// <summary>
    /// A reader over [<paramref name="startOffset"/>, <paramref name="endOffsetExclusive"/>) that may skip records
    /// wholly outside [<paramref name="minTimestampMs"/>, <paramref name="maxTimestampMs"/>] (records of a batch it
    /// reads are not filtered: the caller still checks). A start below <see cref="StartOffset"/> begins at it.
    /// </summary>
    IRecordReader OpenReader(long startOffset, long endOffsetExclusive = long.MaxValue,
        long minTimestampMs = long.MinValue, long maxTimestampMs = long.MaxValue);

    /// <summary>Completes once <see cref="LastStableOffset"/> is greater than <paramref name="offset"/>.</summary>
    ValueTask WaitForDataAsync(long offset, CancellationToken cancellationToken);

    /// <summary>
    /// For EXPLAIN and DESCRIBE: the units of storage (segments, files) holding offsets that overlap
    /// [<paramref name="startOffset"/>, <paramref name="endOffsetExclusive"/>), in offset order. An empty extent
    /// (the active segment before its first append) is listed when its base offset lies in the range.
    /// </summary>
    IReadOnlyList<SourceExtent> DescribeExtents(long startOffset = 0, long endOffsetExclusive = long.MaxValue);
}
