namespace Query.Grammar.Ast;

/// <summary>
/// A type as written in DDL or a cast. <see cref="Name"/> is normalised: PostgreSQL spellings map to the
/// ksqlDB names in <see cref="SqlTypeNames"/> (<c>int4</c> to INT, <c>text</c> to STRING, <c>timestamptz</c> to
/// TIMESTAMP, <c>int2[]</c> to ARRAY&lt;INT&gt;...). Names the dialect does not know (<c>regclass</c>, <c>oid</c>,
/// a type made by CREATE TYPE) are kept upper-cased without a <c>pg_catalog</c> prefix, for the engine to
/// resolve. <see cref="Parameters"/> holds DECIMAL(p, s) or VARCHAR(n); <see cref="ElementTypes"/> holds the
/// ARRAY element or the MAP key and value; <see cref="Fields"/> holds STRUCT fields.
/// </summary>
public sealed record SqlTypeSyntax(
    string Name,
    EquatableArray<int> Parameters,
    EquatableArray<SqlTypeSyntax> ElementTypes,
    EquatableArray<StructFieldType> Fields) : SyntaxNode
{
    public static SqlTypeSyntax Simple(string name, params int[] parameters) =>
        new(name, EquatableArray.Of(parameters), default, default);

    public static SqlTypeSyntax Array(SqlTypeSyntax element) =>
        new(SqlTypeNames.Array, default, EquatableArray.Of(element), default);

    public static SqlTypeSyntax Map(SqlTypeSyntax key, SqlTypeSyntax value) =>
        new(SqlTypeNames.Map, default, EquatableArray.Of(key, value), default);

    public static SqlTypeSyntax Struct(params StructFieldType[] fields) =>
        new(SqlTypeNames.Struct, default, default, EquatableArray.Of(fields));
}

/// <summary>One field of a STRUCT type.</summary>
public sealed record StructFieldType(Identifier Name, SqlTypeSyntax Type) : SyntaxNode;

/// <summary>The canonical type names the dialect knows.</summary>
public static class SqlTypeNames
{
    public const string Boolean = "BOOLEAN";
    public const string Int = "INT";
    public const string BigInt = "BIGINT";
    public const string Double = "DOUBLE";
    public const string Decimal = "DECIMAL";
    public const string String = "STRING";
    public const string Bytes = "BYTES";
    public const string Timestamp = "TIMESTAMP";
    public const string Date = "DATE";
    public const string Time = "TIME";
    public const string Array = "ARRAY";
    public const string Map = "MAP";
    public const string Struct = "STRUCT";

    /// <summary>Maps a type name as written (any case, PostgreSQL or ksqlDB spelling) to its canonical name.</summary>
    public static string Normalize(string name)
    {
        var upper = name.ToUpperInvariant();
        return upper switch
        {
            "BOOL" or "BOOLEAN" => Boolean,
            "INT" or "INTEGER" or "INT4" or "INT2" or "SMALLINT" or "TINYINT" => Int,
            "BIGINT" or "INT8" or "LONG" => BigInt,
            "DOUBLE" or "DOUBLE PRECISION" or "FLOAT8" or "FLOAT" or "FLOAT4" or "REAL" => Double,
            "DECIMAL" or "NUMERIC" => Decimal,
            "STRING" or "VARCHAR" or "TEXT" or "CHARACTER VARYING" or "CHAR" or "CHARACTER" or "BPCHAR"
                or "NAME" => String,
            "BYTES" or "BYTEA" => Bytes,
            "TIMESTAMP" or "TIMESTAMPTZ" or "TIMESTAMP WITH TIME ZONE" or "TIMESTAMP WITHOUT TIME ZONE" => Timestamp,
            "DATE" => Date,
            "TIME" or "TIMETZ" or "TIME WITH TIME ZONE" or "TIME WITHOUT TIME ZONE" => Time,
            _ => upper,
        };
    }
}
