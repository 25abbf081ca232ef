namespace Query.Engine.Planning;

/// <summary>
/// What a predicate allows of one partition: offsets and timestamps (ROWTIME). AND intersects both dimensions
/// exactly; OR unions them per dimension, a superset of the true region (the full predicate still filters each
/// row, so this only decides what is read, never what is returned).
/// </summary>
public sealed record ScanRegion(IntervalSet Offsets, IntervalSet Times)
{
    public static readonly ScanRegion Everything = new(IntervalSet.All, IntervalSet.All);

    public static readonly ScanRegion Nothing = new(IntervalSet.None, IntervalSet.None);

    public bool IsEmpty => Offsets.IsEmpty || Times.IsEmpty;

    public ScanRegion And(ScanRegion other)
    {
        if (IsEmpty || other.IsEmpty)
            return Nothing;
        var result = new ScanRegion(Offsets.Intersect(other.Offsets), Times.Intersect(other.Times));
        return result.IsEmpty ? Nothing : result;
    }

    public ScanRegion Or(ScanRegion other)
    {
        if (IsEmpty)
            return other;
        if (other.IsEmpty)
            return this;
        return new ScanRegion(Offsets.Union(other.Offsets), Times.Union(other.Times));
    }
}
