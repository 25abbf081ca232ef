using Query.Engine.Types;

namespace Query.Engine.Windows;

public sealed partial class WindowedAggregateOperator
{
    // Session windows: per key (an entry of _keys under start 0), the slots of its open sessions.
    private readonly List<List<int>?> _sessionsOfKey = [];
    private readonly Stack<int> _freeKeyEntries = new();
    private readonly List<int> _merging = [];

    /// <summary>
    /// Folds the record into its key's session: the sessions within a gap of <paramref name="time"/> and the record
    /// become one session from the earliest start to the latest end (Kafka Streams' session merge). When that is an
    /// existing session unchanged, the record is added to it; otherwise a new session takes the merged state and the
    /// old ones are removed and retracted. False when the merged session would already have closed (late).
    /// </summary>
    private bool AccumulateSession(long time, int clock)
    {
        var gap = _window.SizeMs;
        var keyEntry = _keys.Find(_scratch, 0);
        var sessions = keyEntry >= 0 ? _sessionsOfKey[keyEntry]! : null;
        var start = time;
        var end = time;
        _merging.Clear();
        if (sessions is not null)
        {
            foreach (var slot in sessions)
            {
                if (_groups.End[slot] >= time - gap && _groups.Start[slot] <= time + gap)
                {
                    _merging.Add(slot);
                    start = Math.Min(start, _groups.Start[slot]);
                    end = Math.Max(end, _groups.End[slot]);
                }
            }
        }
        if (end < _clocks[clock] - gap - _window.GraceMs)
            return false;
        if (_merging.Count == 1 && _groups.Start[_merging[0]] == start && _groups.End[_merging[0]] == end)
        {
            AddValues(_scratch, _merging[0]);
            return true;
        }
        if (keyEntry < 0)
            keyEntry = NewKeyEntry();
        var merged = NewGroup(_scratch, start, end, keyEntry, clock);
        _sessionsOfKey[keyEntry]!.Add(merged);
        MergeInto(merged);
        AddValues(_scratch, merged);
        return true;
    }

    /// <summary>Merges the sessions in <see cref="_merging"/> into <paramref name="merged"/>, oldest first, then
    /// removes them (retracting each from the result).</summary>
    private void MergeInto(int merged)
    {
        _merging.Sort((a, b) => _groups.Start[a].CompareTo(_groups.Start[b]));
        foreach (var old in _merging)
        {
            MergeAggregates(merged, old);
            if (_emitRetractions)
                _retractions.Add(RetractionRow(old));
            RemoveGroup(old, writeRemoval: true);
        }
    }

    /// <summary>The row that deletes a session from the result: its row as last emitted, marked retracted (so a
    /// tombstone takes the old session's time, as in Kafka Streams).</summary>
    private Cell[] RetractionRow(int slot)
    {
        var row = new Cell[_outputWidth];
        Fill(row, slot);
        row[_keyTypes.Length + 2] = Cell.FromInt64(1);
        return row;
    }

    /// <summary>The key entry of the key in <see cref="_scratch"/>, new (no sessions yet).</summary>
    private int NewKeyEntry()
    {
        int entry;
        if (_freeKeyEntries.Count > 0)
        {
            entry = _freeKeyEntries.Pop();
            _sessionsOfKey[entry] = [];
        }
        else
        {
            entry = _sessionsOfKey.Count;
            _sessionsOfKey.Add([]);
        }
        _keys.Add(_scratch, 0, entry);
        return entry;
    }

    /// <summary>Takes a session out of its key's list; a key without sessions leaves the key table.</summary>
    private void DetachSession(int slot)
    {
        var entry = _groups.KeyEntry[slot];
        var sessions = _sessionsOfKey[entry]!;
        sessions.Remove(slot);
        if (sessions.Count > 0)
            return;
        _keys.Remove(entry);
        _sessionsOfKey[entry] = null;
        _freeKeyEntries.Push(entry);
    }

    /// <summary>The live session of the key in <see cref="_scratch"/> with these bounds, or -1.</summary>
    private int FindSession(long start, long end)
    {
        var entry = _keys.Find(_scratch, 0);
        if (entry < 0)
            return -1;
        foreach (var slot in _sessionsOfKey[entry]!)
        {
            if (_groups.Start[slot] == start && _groups.End[slot] == end)
                return slot;
        }
        return -1;
    }
}
