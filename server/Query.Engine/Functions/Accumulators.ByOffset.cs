using System.Buffers;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// LATEST_BY_OFFSET(x, false) / EARLIEST_BY_OFFSET(x, false): ksqlDB's ignoreNulls = false, where a NULL value read
/// is a value like any other (the latest one wins even when NULL; the earliest is the first row's, NULL or not).
/// </summary>
internal sealed class ByOffsetKeepingNullsAccumulator(SqlType type, bool latest) : Accumulator
{
    private Cell _value = Cell.Null;
    private bool _seen;

    public override void Add(in Cell value)
    {
        if (latest || !_seen)
            _value = value;
        _seen = true;
    }

    public override Cell Result() => _value;

    public override void Merge(Accumulator other)
    {
        var from = (ByOffsetKeepingNullsAccumulator)other;
        if (from._seen)
            Add(from._value);
    }

    public override void Serialize(IBufferWriter<byte> writer)
    {
        AccumulatorState.WriteInt64(writer, _seen ? 1 : 0);
        AccumulatorState.WriteCell(writer, _value, type);
    }

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var position = 0;
        _seen = AccumulatorState.ReadInt64(state, ref position) != 0;
        _value = AccumulatorState.ReadCell(state, ref position, type);
    }
}

/// <summary>
/// LATEST_BY_OFFSET(x, n [, ignoreNulls]) / EARLIEST_BY_OFFSET(x, n [, ignoreNulls]): the n latest (earliest)
/// values in the order they were read, as an ARRAY; NULLs are skipped unless ignoreNulls is false.
/// </summary>
internal sealed class ByOffsetListAccumulator(SqlType type, bool latest, int n, bool keepNulls) : Accumulator
{
    private readonly Queue<Cell> _items = new();

    public override void Add(in Cell value)
    {
        if (value.IsNull && !keepNulls)
            return;
        if (_items.Count < n)
            _items.Enqueue(value);
        else if (latest)
        {
            _items.Dequeue();
            _items.Enqueue(value);
        }
    }

    public override Cell Result()
    {
        var items = new object?[_items.Count];
        var i = 0;
        foreach (var item in _items)
            items[i++] = item.ToObject(type);
        return Cell.FromRef(new SqlArray(items));
    }

    public override void Merge(Accumulator other)
    {
        foreach (var item in ((ByOffsetListAccumulator)other)._items)
            Add(item);
    }

    public override void Serialize(IBufferWriter<byte> writer) => CellSet.Write(writer, _items, type);

    public override void Restore(ReadOnlySpan<byte> state)
    {
        var cells = new List<Cell>();
        CellSet.Read(state, cells, type);
        _items.Clear();
        foreach (var cell in cells)
            _items.Enqueue(cell);
    }
}
