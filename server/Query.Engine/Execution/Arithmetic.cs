using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// Division, modulo and comparisons the compiled expressions call where a bare IL opcode would not give SQL's
/// answer: division by zero is 22012 for every numeric type (PostgreSQL raises it for float8 too).
/// Overflow of + - * surfaces as <see cref="OverflowException"/> from checked IL and becomes 22003.
/// </summary>
public static class Arithmetic
{
    public static int DivideInt32(int left, int right) =>
        right == 0 ? throw SqlException.DivisionByZero() : checked(left / right);

    public static long DivideInt64(long left, long right) =>
        right == 0 ? throw SqlException.DivisionByZero() : checked(left / right);

    public static double DivideDouble(double left, double right) =>
        right == 0 ? throw SqlException.DivisionByZero() : left / right;

    public static decimal DivideDecimal(decimal left, decimal right) =>
        right == 0 ? throw SqlException.DivisionByZero() : left / right;

    public static WideDecimal AddWideDecimal(WideDecimal left, WideDecimal right, int precision, int scale) =>
        WideDecimal.Add(left, right, negateRight: false, precision, scale);

    public static WideDecimal SubtractWideDecimal(WideDecimal left, WideDecimal right, int precision, int scale) =>
        WideDecimal.Add(left, right, negateRight: true, precision, scale);

    public static WideDecimal MultiplyWideDecimal(WideDecimal left, WideDecimal right, int precision, int scale) =>
        WideDecimal.Multiply(left, right, precision, scale);

    public static WideDecimal DivideWideDecimal(WideDecimal left, WideDecimal right, int precision, int scale) =>
        WideDecimal.Divide(left, right, scale).ToPrecision(precision, scale);

    public static WideDecimal ModuloWideDecimal(WideDecimal left, WideDecimal right, int precision, int scale) =>
        WideDecimal.Remainder(left, right).ToPrecision(precision, scale);

    public static int ModuloInt32(int left, int right) =>
        right == 0 ? throw SqlException.DivisionByZero() : right == -1 ? 0 : left % right;

    public static long ModuloInt64(long left, long right) =>
        right == 0 ? throw SqlException.DivisionByZero() : right == -1 ? 0 : left % right;

    public static double ModuloDouble(double left, double right) =>
        right == 0 ? throw SqlException.DivisionByZero() : left % right;

    public static decimal ModuloDecimal(decimal left, decimal right) =>
        right == 0 ? throw SqlException.DivisionByZero() : left % right;

    public static int CompareBytes(byte[] left, byte[] right) => left.AsSpan().SequenceCompareTo(right);

    public static bool ValueEquals(object left, object right) => ValueEquality.ValueEquals(left, right);

    /// <summary>ksqlDB array indexing: 1-based, negative from the end, out of range gives NULL.</summary>
    public static object? ArrayElement(SqlArray array, int index)
    {
        var position = index > 0 ? index - 1 : array.Count + index;
        return position >= 0 && position < array.Count ? array.Items[position] : null;
    }

    public static object? MapValue(SqlMap map, object key) => map.TryGet(key, out var value) ? value : null;

    public static object? StructField(SqlStruct value, int index) =>
        index < value.Fields.Length ? value.Fields[index] : null;

    public static SqlArray NewArray(object?[] items) => new(items);

    public static SqlStruct NewStruct(object?[] fields) => new(fields);

    /// <summary>MAP(k1 := v1, k2 := v2): items alternate key, value.</summary>
    public static SqlMap NewMap(object?[] items)
    {
        var keys = new object?[items.Length / 2];
        var values = new object?[items.Length / 2];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = items[2 * i];
            values[i] = items[(2 * i) + 1];
        }
        return new SqlMap(keys, values);
    }

    public static string FormatValue(object value, SqlType type) => ValueText.Format(value, type);

    public static object? ConvertValue(object value, SqlType from, SqlType to) => ValueCast.Convert(value, from, to);

    public static object? ParseValue(string text, SqlType to) => ValueCast.ParseText(text, to);
}
