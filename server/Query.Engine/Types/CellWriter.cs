namespace Query.Engine.Types;

/// <summary>Static setters the compiled projections call to store a typed result into an output cell.</summary>
public static class CellWriter
{
    public static void SetNull(Cell[] cells, int index) => cells[index] = Cell.Null;

    public static void SetBoolean(Cell[] cells, int index, bool value) => cells[index] = Cell.FromInt64(value ? 1 : 0);

    public static void SetInt32(Cell[] cells, int index, int value) => cells[index] = Cell.FromInt64(value);

    public static void SetInt64(Cell[] cells, int index, long value) => cells[index] = Cell.FromInt64(value);

    public static void SetDouble(Cell[] cells, int index, double value) => cells[index] = Cell.FromDouble(value);

    public static void SetDecimal(Cell[] cells, int index, decimal value) => cells[index] = Cell.FromDecimal(value);

    public static void SetWideDecimal(Cell[] cells, int index, WideDecimal value) =>
        cells[index] = Cell.FromWideDecimal(value);

    public static void SetRef(Cell[] cells, int index, object? value) => cells[index] = Cell.FromRef(value);
}
