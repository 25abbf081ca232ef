using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// A row held as cells (aggregated rows, INSERT values, JSON-decoded rows). It offers the same typed
/// accessors as <see cref="RecordCursor"/>, so compiled expressions bind to either by method name.
/// </summary>
public sealed class CellRow(Cell[] cells)
{
    public Cell[] Cells { get; set; } = cells;

    public long Offset;
    public long TimestampMs;
    public int Partition;

    public bool TryGetBoolean(int column, out bool value)
    {
        ref readonly var cell = ref Cells[column];
        value = cell.Bits != 0;
        return !cell.IsNull;
    }

    public bool TryGetInt32(int column, out int value)
    {
        ref readonly var cell = ref Cells[column];
        value = (int)cell.Bits;
        return !cell.IsNull;
    }

    public bool TryGetInt64(int column, out long value)
    {
        ref readonly var cell = ref Cells[column];
        value = cell.Bits;
        return !cell.IsNull;
    }

    public bool TryGetDouble(int column, out double value)
    {
        ref readonly var cell = ref Cells[column];
        value = cell.AsDouble;
        return !cell.IsNull;
    }

    public bool TryGetDecimal(int column, out decimal value)
    {
        ref readonly var cell = ref Cells[column];
        value = cell.Decimal;
        return !cell.IsNull;
    }

    public bool TryGetWideDecimal(int column, out WideDecimal value)
    {
        ref readonly var cell = ref Cells[column];
        value = cell.Ref is WideDecimal wide ? wide : default;
        return !cell.IsNull;
    }

    public bool TryGetString(int column, out string value) => TryGetRef(column, out value);

    public bool TryGetBytes(int column, out byte[] value) => TryGetRef(column, out value);

    public bool TryGetArray(int column, out SqlArray value) => TryGetRef(column, out value);

    public bool TryGetMap(int column, out SqlMap value) => TryGetRef(column, out value);

    public bool TryGetStruct(int column, out SqlStruct value) => TryGetRef(column, out value);

    private bool TryGetRef<T>(int column, out T value) where T : class
    {
        ref readonly var cell = ref Cells[column];
        value = (cell.Ref as T)!;
        return !cell.IsNull;
    }
}
