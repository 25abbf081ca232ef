namespace Query.Engine.Types;

/// <summary>
/// One typed value slot without boxing: fixed-width scalars live in <see cref="Bits"/> (DOUBLE as its IEEE
/// bits), DECIMAL in <see cref="Decimal"/> (a wide DECIMAL, precision above 28, as a boxed <see cref="WideDecimal"/>
/// in <see cref="Ref"/>), STRING / BYTES / complex values in <see cref="Ref"/>. The SQL type is known from the
/// column, never stored per value.
/// </summary>
public struct Cell
{
    public long Bits;
    public decimal Decimal;
    public object? Ref;
    public bool IsNull;

    public static Cell Null => new() { IsNull = true };

    public static Cell FromInt64(long value) => new() { Bits = value };

    public static Cell FromDouble(double value) => new() { Bits = BitConverter.DoubleToInt64Bits(value) };

    public static Cell FromDecimal(decimal value) => new() { Decimal = value };

    public static Cell FromWideDecimal(WideDecimal value) => new() { Ref = value };

    public static Cell FromRef(object? value) => value is null ? Null : new Cell { Ref = value };

    public readonly double AsDouble => BitConverter.Int64BitsToDouble(Bits);

    /// <summary>Boxes the value as the engine's CLR value of <paramref name="type"/> (off hot paths only).</summary>
    public readonly object? ToObject(SqlType type)
    {
        if (IsNull)
            return null;
        return type.Kind switch
        {
            SqlTypeKind.Boolean => Bits != 0,
            SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time => (int)Bits,
            SqlTypeKind.BigInt or SqlTypeKind.Timestamp => Bits,
            SqlTypeKind.Double => AsDouble,
            SqlTypeKind.Decimal => Ref ?? Decimal,
            _ => Ref,
        };
    }

    /// <summary>Unboxes a CLR value of <paramref name="type"/> into a cell.</summary>
    public static Cell FromObject(object? value, SqlType type)
    {
        if (value is null)
            return Null;
        return type.Kind switch
        {
            SqlTypeKind.Boolean => FromInt64((bool)value ? 1 : 0),
            SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time => FromInt64((int)value),
            SqlTypeKind.BigInt or SqlTypeKind.Timestamp => FromInt64((long)value),
            SqlTypeKind.Double => FromDouble((double)value),
            SqlTypeKind.Decimal when type is DecimalType { IsWide: true } => FromWideDecimal(value is WideDecimal wide
                ? wide : WideDecimal.FromDecimal((decimal)value)),
            SqlTypeKind.Decimal => value is WideDecimal narrowed ? FromDecimal(narrowed.ToDecimal())
                : FromDecimal((decimal)value),
            _ => FromRef(value),
        };
    }

    /// <summary>Value equality under one SQL type (used for GROUP BY keys and DISTINCT).</summary>
    public readonly bool ValueEquals(in Cell other, SqlTypeKind kind)
    {
        if (IsNull || other.IsNull)
            return IsNull == other.IsNull;
        return kind switch
        {
            SqlTypeKind.Decimal when Ref is WideDecimal wide => other.Ref is WideDecimal otherWide && wide == otherWide,
            SqlTypeKind.Decimal => Decimal == other.Decimal,
            SqlTypeKind.Double => AsDouble.Equals(other.AsDouble),
            SqlTypeKind.String or SqlTypeKind.Bytes or SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Struct
                => ValueEquality.ValueEquals(Ref, other.Ref),
            _ => Bits == other.Bits,
        };
    }

    public readonly int ValueHash(SqlTypeKind kind)
    {
        if (IsNull)
            return 0;
        return kind switch
        {
            SqlTypeKind.Decimal => Ref?.GetHashCode() ?? Decimal.GetHashCode(),
            SqlTypeKind.Bytes => ValueEquality.BytesHash((byte[])Ref!),
            SqlTypeKind.String or SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Struct => Ref!.GetHashCode(),
            _ => Bits.GetHashCode(),
        };
    }
}
