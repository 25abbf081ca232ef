namespace Query.Tiering.Layout;

/// <summary>The kinds of value a cold column holds; the engine maps its SQL types onto these.</summary>
public enum ColdTypeKind
{
    Boolean,
    Int32,
    Int64,
    Double,
    Decimal,
    String,
    Bytes,

    /// <summary>Epoch milliseconds in the row; written as TIMESTAMP(MILLIS, UTC).</summary>
    Timestamp,

    /// <summary>Days since 1970-01-01 in the row; written as DATE.</summary>
    Date,

    /// <summary>Milliseconds since midnight in the row; written as TIME(MICROS).</summary>
    Time,
    List,
    Map,
    Struct,
}

/// <summary>
/// A tiering-level type: scalars are singletons, DECIMAL, LIST, MAP and STRUCT carry parameters. Every value
/// may be NULL. Values travel in <see cref="ColdValue"/>: fixed-width scalars in its bits, DECIMAL as
/// <see cref="decimal"/>, STRING as <see cref="string"/>, BYTES as byte[], LIST as IReadOnlyList&lt;ColdValue&gt;,
/// MAP as IReadOnlyList&lt;KeyValuePair&lt;ColdValue, ColdValue&gt;&gt;, STRUCT as ColdValue[] in field order.
/// </summary>
public abstract record ColdType(ColdTypeKind Kind)
{
    public static readonly ColdType Boolean = new ColdScalarType(ColdTypeKind.Boolean);
    public static readonly ColdType Int32 = new ColdScalarType(ColdTypeKind.Int32);
    public static readonly ColdType Int64 = new ColdScalarType(ColdTypeKind.Int64);
    public static readonly ColdType Double = new ColdScalarType(ColdTypeKind.Double);
    public static readonly ColdType String = new ColdScalarType(ColdTypeKind.String);
    public static readonly ColdType Bytes = new ColdScalarType(ColdTypeKind.Bytes);
    public static readonly ColdType Timestamp = new ColdScalarType(ColdTypeKind.Timestamp);
    public static readonly ColdType Date = new ColdScalarType(ColdTypeKind.Date);
    public static readonly ColdType Time = new ColdScalarType(ColdTypeKind.Time);

    public bool IsNested => Kind is ColdTypeKind.List or ColdTypeKind.Map or ColdTypeKind.Struct;
}

public sealed record ColdScalarType : ColdType
{
    internal ColdScalarType(ColdTypeKind kind) : base(kind)
    {
    }
}

/// <summary>DECIMAL(precision, scale) with precision at most 28 (System.Decimal).</summary>
public sealed record ColdDecimalType(int Precision, int Scale) : ColdType(ColdTypeKind.Decimal);

public sealed record ColdListType(ColdType Element) : ColdType(ColdTypeKind.List);

public sealed record ColdMapType(ColdType Key, ColdType Value) : ColdType(ColdTypeKind.Map);

public sealed record ColdStructType(IReadOnlyList<ColdColumn> Fields) : ColdType(ColdTypeKind.Struct)
{
    public bool Equals(ColdStructType? other) =>
        other is not null && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => Fields.Count;
}

/// <summary>A named column (or struct field). Names are written lower-case into Parquet.</summary>
public sealed record ColdColumn(string Name, ColdType Type);
