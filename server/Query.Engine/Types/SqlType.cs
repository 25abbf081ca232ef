using System.Text;

namespace Query.Engine.Types;

/// <summary>
/// A SQL type. Scalars are singletons (<see cref="Int"/>, <see cref="String"/>, ...); DECIMAL, ARRAY, MAP and
/// STRUCT carry parameters. <see cref="ToString"/> prints the ksqlDB spelling, which <see cref="SqlTypeParser"/>
/// reads back (the catalog persists types that way).
/// </summary>
public abstract record SqlType(SqlTypeKind Kind)
{
    public static readonly SqlType Null = new ScalarType(SqlTypeKind.Null);
    public static readonly SqlType Boolean = new ScalarType(SqlTypeKind.Boolean);
    public static readonly SqlType Int = new ScalarType(SqlTypeKind.Int);
    public static readonly SqlType BigInt = new ScalarType(SqlTypeKind.BigInt);
    public static readonly SqlType Double = new ScalarType(SqlTypeKind.Double);
    public static readonly SqlType String = new ScalarType(SqlTypeKind.String);
    public static readonly SqlType Bytes = new ScalarType(SqlTypeKind.Bytes);
    public static readonly SqlType Timestamp = new ScalarType(SqlTypeKind.Timestamp);
    public static readonly SqlType Date = new ScalarType(SqlTypeKind.Date);
    public static readonly SqlType Time = new ScalarType(SqlTypeKind.Time);

    /// <summary>The CLR type that carries a non-null value of this SQL type inside the engine.</summary>
    public Type ClrType => Kind switch
    {
        SqlTypeKind.Boolean => typeof(bool),
        SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time => typeof(int),
        SqlTypeKind.BigInt or SqlTypeKind.Timestamp => typeof(long),
        SqlTypeKind.Double => typeof(double),
        SqlTypeKind.Decimal => this is DecimalType { IsWide: true } ? typeof(WideDecimal) : typeof(decimal),
        SqlTypeKind.String => typeof(string),
        SqlTypeKind.Bytes => typeof(byte[]),
        SqlTypeKind.Array => typeof(SqlArray),
        SqlTypeKind.Map => typeof(SqlMap),
        SqlTypeKind.Struct => typeof(SqlStruct),
        _ => typeof(object),
    };

    public bool IsNumeric => Kind is SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Double or SqlTypeKind.Decimal;

    public bool IsIntegral => Kind is SqlTypeKind.Int or SqlTypeKind.BigInt;

    public bool IsComplex => Kind is SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Struct;

    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder);
        return builder.ToString();
    }

    internal abstract void Append(StringBuilder builder);
}

public sealed record ScalarType : SqlType
{
    internal ScalarType(SqlTypeKind kind) : base(kind)
    {
    }

    internal override void Append(StringBuilder builder) => builder.Append(Kind switch
    {
        SqlTypeKind.Null => "NULL",
        SqlTypeKind.Boolean => "BOOLEAN",
        SqlTypeKind.Int => "INTEGER",
        SqlTypeKind.BigInt => "BIGINT",
        SqlTypeKind.Double => "DOUBLE",
        SqlTypeKind.String => "STRING",
        SqlTypeKind.Bytes => "BYTES",
        SqlTypeKind.Timestamp => "TIMESTAMP",
        SqlTypeKind.Date => "DATE",
        _ => "TIME",
    });
}

/// <summary>
/// DECIMAL(precision, scale), precision 1 to 38 as in ksqlDB. Up to 28 digits (what System.Decimal holds exactly)
/// a value is a System.Decimal; from 29 it is <see cref="WideDecimal"/> (<see cref="IsWide"/>).
/// </summary>
public sealed record DecimalType(int Precision, int Scale) : SqlType(SqlTypeKind.Decimal)
{
    /// <summary>The largest narrow precision, also the type of unconstrained NUMERIC and of narrow results.
    /// </summary>
    public const int MaxPrecision = 28;

    /// <summary>The largest precision a DECIMAL may declare (ksqlDB's limit).</summary>
    public const int WideMaxPrecision = WideDecimal.MaxDigits;

    /// <summary>Whether values are <see cref="WideDecimal"/> (precision above 28).</summary>
    public bool IsWide => Precision > MaxPrecision;

    internal override void Append(StringBuilder builder) => builder.Append($"DECIMAL({Precision}, {Scale})");
}

public sealed record ArrayType(SqlType Element) : SqlType(SqlTypeKind.Array)
{
    internal override void Append(StringBuilder builder)
    {
        builder.Append("ARRAY<");
        Element.Append(builder);
        builder.Append('>');
    }
}

public sealed record MapType(SqlType Key, SqlType Value) : SqlType(SqlTypeKind.Map)
{
    internal override void Append(StringBuilder builder)
    {
        builder.Append("MAP<");
        Key.Append(builder);
        builder.Append(", ");
        Value.Append(builder);
        builder.Append('>');
    }
}

public sealed record StructField(string Name, SqlType Type);

public sealed record StructType(EquatableArray<StructField> Fields) : SqlType(SqlTypeKind.Struct)
{
    public int IndexOf(string name)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            if (string.Equals(Fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }

    internal override void Append(StringBuilder builder)
    {
        builder.Append("STRUCT<");
        for (var i = 0; i < Fields.Count; i++)
        {
            if (i > 0)
                builder.Append(", ");
            builder.Append('`').Append(Fields[i].Name).Append("` ");
            Fields[i].Type.Append(builder);
        }
        builder.Append('>');
    }
}
