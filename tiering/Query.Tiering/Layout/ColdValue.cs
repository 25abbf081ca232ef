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

    // Marks a value that is a range of the row's value bytes (see FromValueRange).
    private static readonly object ValueRangeMarker = new();

    /// <summary>
    /// A top-level STRING (its UTF-8 bytes) or BYTES value given as <paramref name="length"/> bytes at
    /// <paramref name="start"/> of the value bytes being decoded, instead of a string or byte[]: only
    /// <see cref="IColumnLayout.TryDecodeRanges"/> returns these, and the archiver copies them straight into its
    /// column buffers, so no string or array is made per value.
    /// </summary>
    public static ColdValue FromValueRange(int start, int length) =>
        new() { Ref = ValueRangeMarker, Bits = ((long)start << 32) | (uint)length };

    public readonly bool IsValueRange => ReferenceEquals(Ref, ValueRangeMarker);

    public readonly int RangeStart => (int)(Bits >> 32);

    public readonly int RangeLength => (int)(uint)Bits;
}
