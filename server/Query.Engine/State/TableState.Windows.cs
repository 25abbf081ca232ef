using Query.Engine.Execution.Operators;
using Query.Storage;

namespace Query.Engine.State;

/// <summary>
/// A windowed table's state: every record key is a key and a window, and the <see cref="WindowedTableIndex"/> keeps
/// each key's windows and their retention (windows past it leave the state, and records for them are not applied),
/// so a pull query by key reads that key's windows only.
/// </summary>
public sealed partial class TableState
{
    private readonly WindowedTableIndex? _windows;

    /// <summary>A windowed table's index of windows (null: not windowed).</summary>
    public WindowedTableIndex? Windows => _windows;

    private void ApplyWindowed(LogRecord record, int partition)
    {
        var windows = _windows!;
        if (!windows.TrySplit(record.Key, out var key, out var start, out var end))
        {
            // Not a windowed key (another producer's record): kept as a plain entry, seen by scans only.
            if (record.ValueIsNull)
                _store.Delete(record.Key);
            else
                _store.Put(record.Key, Entry(record.TimestampMs, record.Offset, partition, record.Value));
            return;
        }
        var live = windows.Observe(key, start, end, out var keyPartition);
        if (record.ValueIsNull)
        {
            if (_store.Delete(record.Key))
                windows.Remove(key, start, end);
        }
        else if (live)
        {
            PutWindow(windows, record, partition, key, start, end, keyPartition);
        }
        if (windows.Expires)
            windows.Expire(keyPartition, _store);
    }

    private void PutWindow(WindowedTableIndex windows, LogRecord record, int partition, ReadOnlySpan<byte> key,
        long start, long end, int keyPartition)
    {
        var entry = Entry(record.TimestampMs, record.Offset, partition, record.Value);
        if (_store.TryGet(record.Key, out _))
        {
            _store.Put(record.Key, entry);
            return;
        }
        var charged = windows.ChargeNewWindow(key);
        try
        {
            _store.Put(record.Key, entry);
        }
        catch
        {
            windows.ReleaseCharge(charged);
            throw;
        }
        windows.Add(key, start, end, keyPartition);
    }

    /// <summary>
    /// Adds the windows of <paramref name="key"/> (the key columns' bytes, without a window) whose start lies in
    /// [<paramref name="startMinMs"/>, <paramref name="startMaxMs"/>] to <paramref name="batch"/>, in (start, end)
    /// order after the window <paramref name="after"/> (start with (long.MinValue, long.MinValue)); returns false
    /// once the key has no more, true when the batch filled first (call again with the updated
    /// <paramref name="after"/>). Reads the key's windows only.
    /// </summary>
    public bool FillWindows(ReadOnlySpan<byte> key, ref WindowedTableIndex.HeldWindow after, long startMinMs,
        long startMaxMs, RecordBatch batch)
    {
        var windows = _windows ?? throw new InvalidOperationException($"table \"{_tableName}\" is not windowed");
        var length = windows.RecordKeyBytes(key);
        Span<byte> recordKeyBuffer = length <= 256 ? stackalloc byte[256] : new byte[length];
        _lock.EnterReadLock();
        try
        {
            while (!batch.IsFull)
            {
                if (!windows.TryNext(key, after.StartMs, after.EndMs, startMinMs, startMaxMs, out var window))
                    return false;
                after = window;
                var recordKey = windows.WriteRecordKey(recordKeyBuffer, key, window.StartMs, window.EndMs);
                if (_store.TryGet(recordKey, out var entry))
                    Add(recordKey, entry, batch);
            }
            return true;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
