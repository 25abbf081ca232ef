namespace Query.Tiering;

/// <summary>
/// What a cold read asks for: offsets [StartOffset, EndOffsetExclusive), a ROWTIME range used to skip files and
/// row groups (rows inside a row group that is read are not filtered, as in the hot log), and the stream
/// columns to read (null: all).
/// </summary>
public sealed record ColdScanRange(long StartOffset, long EndOffsetExclusive = long.MaxValue,
    long MinTimestampMs = long.MinValue, long MaxTimestampMs = long.MaxValue, IReadOnlySet<int>? Columns = null)
{
    public bool IsProjected(int column) => Columns is null || Columns.Contains(column);
}
