namespace Query.Tiering.Layout;

/// <summary>
/// One value slot without boxing for scalars: BOOLEAN / INT32 / INT64 / DATE / TIME / TIMESTAMP in
/// <see cref="Bits"/>, DOUBLE as its IEEE bits, DECIMAL in <see cref="Decimal"/>, everything else in
/// <see cref="Ref"/> (see <see cref="ColdType"/> for the shapes).
/// </summary>
public struct ColdValue
{
    public long Bits;
    public decimal Decimal;
    public object? Ref;
    public bool IsNull;

    public static ColdValue Null => new() { IsNull = true };

    public static ColdValue FromInt64(long value) => new() { Bits = value };

    public static ColdValue FromDouble(double value) => new() { Bits = BitConverter.DoubleToInt64Bits(value) };

    public static ColdValue FromDecimal(decimal value) => new() { Decimal = value };

    public static ColdValue FromRef(object? value) => value is null ? Null : new ColdValue { Ref = value };

    public readonly double AsDouble => BitConverter.Int64BitsToDouble(Bits);
}
