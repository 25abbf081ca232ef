using System.Buffers.Binary;
using Query.Engine.State;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// The current row of every key of a table source that an aggregate reads (as the table's changelog said it,
/// undecoded): when a key is updated or deleted, its previous row is taken back out of its group (a retraction)
/// before the new row is added, possibly to another group. A persistent query commits the keys changed since its
/// last commit into its state log with everything else (<see cref="WriteChanges"/>) and restores them on restart
/// (<see cref="Restore"/>), so the previous rows are exactly those its aggregate state reflects.
/// <para>Entry: <c>[i64 timestampMs][i64 offset][i32 partition][value]</c>. Memory: keys, rows and
/// <see cref="EntryOverheadBytes"/> per key are charged to the query's budget (53200 past it).</para>
/// </summary>
public sealed class TableChangeTracker
{
    /// <summary>Managed overhead per key besides its bytes: two arrays and a dictionary entry.</summary>
    public const int EntryOverheadBytes = 96;

    private const int HeaderBytes = 20;

    private readonly Limits.QueryMemoryBudget _budget;
    private readonly Dictionary<byte[], byte[]> _rows = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], byte[]>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly HashSet<byte[]> _changed = new(ByteKeyComparer.Instance);

    public TableChangeTracker(Limits.QueryMemoryBudget budget)
    {
        _budget = budget;
        _lookup = _rows.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Keys with a current row.</summary>
    public int Count => _rows.Count;

    /// <summary>Whether keys changed since the last <see cref="WriteChanges"/>.</summary>
    public bool HasChanges => _changed.Count > 0;

    /// <summary>The current row of <paramref name="key"/>, if it has one.</summary>
    public bool TryGetRow(ReadOnlySpan<byte> key, out long timestampMs, out long offset, out int partition,
        out ReadOnlySpan<byte> value)
    {
        if (!_lookup.TryGetValue(key, out var entry))
        {
            (timestampMs, offset, partition) = (0, 0, 0);
            value = default;
            return false;
        }
        timestampMs = BinaryPrimitives.ReadInt64LittleEndian(entry);
        offset = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(8));
        partition = BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(16));
        value = entry.AsSpan(HeaderBytes);
        return true;
    }

    /// <summary>Makes <paramref name="value"/> the current row of <paramref name="key"/>.</summary>
    public void Set(ReadOnlySpan<byte> key, long timestampMs, long offset, int partition, ReadOnlySpan<byte> value)
    {
        var entry = new byte[HeaderBytes + value.Length];
        BinaryPrimitives.WriteInt64LittleEndian(entry, timestampMs);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(8), offset);
        BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(16), partition);
        value.CopyTo(entry.AsSpan(HeaderBytes));
        Put(key, entry);
    }

    private void Put(ReadOnlySpan<byte> key, byte[] entry)
    {
        if (_lookup.TryGetValue(key, out var stored, out var old))
        {
            _budget.Charge(entry.Length - old.Length);
            _rows[stored] = entry;
            _changed.Add(stored);
            return;
        }
        _budget.Charge(EntryOverheadBytes + (2L * key.Length) + entry.Length);
        var copy = key.ToArray();
        _rows.Add(copy, entry);
        _changed.Add(copy);
    }

    /// <summary>Forgets the row of <paramref name="key"/> (deleted, or a row that does not decode).</summary>
    public void Remove(ReadOnlySpan<byte> key)
    {
        if (!_lookup.Remove(key, out var stored, out var old))
            return;
        _budget.Release(EntryOverheadBytes + (2L * stored.Length) + old.Length);
        _changed.Add(stored);
    }

    /// <summary>
    /// Hands each key changed since the last call to <paramref name="write"/>: its entry, or an empty memory with
    /// <c>deleted</c> set when it has no row any more.
    /// </summary>
    public void WriteChanges(ChangeWriter write)
    {
        ArgumentNullException.ThrowIfNull(write);
        foreach (var key in _changed)
        {
            if (_rows.TryGetValue(key, out var entry))
                write(key, entry, deleted: false);
            else
                write(key, ReadOnlyMemory<byte>.Empty, deleted: true);
        }
        _changed.Clear();
    }

    /// <summary>Hands every current row to <paramref name="write"/> (a snapshot of the whole tracker).</summary>
    public void WriteAll(ChangeWriter write)
    {
        ArgumentNullException.ThrowIfNull(write);
        foreach (var (key, entry) in _rows)
            write(key, entry, deleted: false);
    }

    /// <summary>Applies one entry written by <see cref="WriteChanges"/> (restart).</summary>
    public void Restore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> entry, bool deleted)
    {
        if (deleted)
        {
            Remove(key);
            return;
        }
        if (entry.Length < HeaderBytes)
            throw Format.NestedValueCodec.Corrupt();
        Put(key, entry.ToArray());
    }

    /// <summary>Forgets which keys changed (after a restore: they are already in the log).</summary>
    public void ClearChanges() => _changed.Clear();

    public delegate void ChangeWriter(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> entry, bool deleted);
}
