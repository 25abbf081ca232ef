using Query.Storage.Log;

namespace Query.Storage;

// Retention floors: named holders (the archival job, a query still reading) that keep time/size retention from
// deleting segments they still need. Durable in the partition's retention.floors file (storage/FORMAT.md).
public sealed partial class PartitionLog
{
    /// <summary>Most named floors one partition keeps (each holder is a consumer such as an archival job).</summary>
    public const int MaxRetentionFloorHolders = 16;

    /// <summary>Longest holder name, in ASCII characters.</summary>
    public const int MaxRetentionFloorHolderLength = 64;

    // Lock order: _floorsLock, then _segmentsLock. _retentionFloor changes under both and is read by retention
    // under _segmentsLock, so a retention pass sees a floor either wholly before or wholly after a change.
    private readonly object _floorsLock = new();
    private Dictionary<string, long>? _floors;
    private long _retentionFloor = long.MaxValue;

    /// <summary>
    /// The lowest floor any holder keeps: time and size retention delete no segment holding an offset at or
    /// above it. <see cref="long.MaxValue"/> when no floor is held.
    /// </summary>
    public long RetentionFloor
    {
        get
        {
            LoadedFloors();
            return Volatile.Read(ref _retentionFloor);
        }
    }

    /// <summary>The floor of every holder, by holder name.</summary>
    public IReadOnlyDictionary<string, long> GetRetentionFloors()
    {
        lock (_floorsLock)
            return new Dictionary<string, long>(LoadedFloors(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Sets (or moves, up or down) the floor of <paramref name="holder"/>: from now on, and after any restart,
    /// time and size retention (<see cref="LogOptions.RetentionMs"/>, <see cref="LogOptions.RetentionBytes"/>)
    /// delete only segments whose records all precede the lowest floor held. Durable when it returns; a lower
    /// floor is in effect before it is durable, a higher one only after. It cannot bring back what retention
    /// already deleted. <see cref="DeleteSegmentsBefore"/>, an explicit delete, is not held back.
    /// </summary>
    public void HoldRetentionFloor(string holder, long offset)
    {
        ValidateHolder(holder);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ThrowIfDeleted();
        lock (_floorsLock)
        {
            var floors = LoadedFloors();
            if (!floors.ContainsKey(holder) && floors.Count >= MaxRetentionFloorHolders)
                throw new StorageException($"partition {Partition} of log \"{LogName}\" already has " +
                    $"{MaxRetentionFloorHolders} retention floor holders; release one first");
            var next = new Dictionary<string, long>(floors, StringComparer.Ordinal) { [holder] = offset };
            ReplaceFloors(next);
        }
    }

    /// <summary>Drops the floor of <paramref name="holder"/>; false when it held none. Durable when it returns.
    /// Retention catches up at the next roll or <see cref="EnforceRetention()"/>.</summary>
    public bool ReleaseRetentionFloor(string holder)
    {
        ValidateHolder(holder);
        ThrowIfDeleted();
        lock (_floorsLock)
        {
            var floors = LoadedFloors();
            if (!floors.ContainsKey(holder))
                return false;
            var next = new Dictionary<string, long>(floors, StringComparer.Ordinal);
            next.Remove(holder);
            ReplaceFloors(next);
            return true;
        }
    }

    // Caller holds _floorsLock.
    private void ReplaceFloors(Dictionary<string, long> next)
    {
        var floor = LowestFloor(next);
        SetRetentionFloor(Math.Min(floor, Volatile.Read(ref _retentionFloor)));
        RetentionFloorFile.Write(Directory, next);
        _floors = next;
        SetRetentionFloor(floor);
    }

    private void SetRetentionFloor(long floor)
    {
        lock (_segmentsLock)
            Volatile.Write(ref _retentionFloor, floor);
    }

    // Read from disk on first use: retention on open is the first use, so a damaged file stops the open.
    private Dictionary<string, long> LoadedFloors()
    {
        if (Volatile.Read(ref _floors) is { } loaded)
            return loaded;
        lock (_floorsLock)
        {
            if (_floors is null)
            {
                var floors = RetentionFloorFile.Read(Directory);
                SetRetentionFloor(LowestFloor(floors));
                Volatile.Write(ref _floors, floors);
            }
            return _floors;
        }
    }

    private static long LowestFloor(Dictionary<string, long> floors)
    {
        var lowest = long.MaxValue;
        foreach (var offset in floors.Values)
            lowest = Math.Min(lowest, offset);
        return lowest;
    }

    private static void ValidateHolder(string holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        if (holder.Length is 0 or > MaxRetentionFloorHolderLength)
            throw new ArgumentException($"a retention floor holder is 1 to {MaxRetentionFloorHolderLength} characters",
                nameof(holder));
        foreach (var c in holder)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                throw new ArgumentException("a retention floor holder is letters, digits, '.', '_' and '-'",
                    nameof(holder));
        }
    }
}
