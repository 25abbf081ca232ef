using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>The table functions: one input row to zero or more output rows.</summary>
public enum TableFunctionKind
{
    /// <summary>EXPLODE(ARRAY&lt;T&gt;) -> T: a row per element.</summary>
    Explode,

    /// <summary>CUBE_EXPLODE(ARRAY&lt;T&gt;) -> ARRAY&lt;T&gt;: a row per combination of kept and NULLed elements.
    /// </summary>
    CubeExplode,

    /// <summary>GENERATE_SUBSCRIPTS(ARRAY&lt;T&gt;, 1) -> INTEGER: a row per subscript, 1 to the length
    /// (SQLAlchemy and pgcli pair it with unnest to number a key's columns).</summary>
    GenerateSubscripts,

    /// <summary>information_schema._pg_expandarray(ARRAY&lt;T&gt;) -> STRUCT&lt;x T, n INTEGER&gt;: a row per element
    /// with its subscript (pgjdbc's getPrimaryKeys and getIndexInfo read its fields).</summary>
    PgExpandArray,
}

/// <summary>
/// ksqlDB's table functions. They stand as whole SELECT items: the query projects each one's array, and the
/// table function node then emits, per input row, as many rows as the longest result, the shorter results padded
/// with NULL and the other columns repeated. A NULL or empty array gives no rows.
/// </summary>
public static class TableFunctions
{
    public static readonly (string Name, string Signature, string Description)[] Catalog =
    [
        ("EXPLODE", "EXPLODE(ARRAY<T>) -> T", "A row per element of the array."),
        ("CUBE_EXPLODE", "CUBE_EXPLODE(ARRAY<T>) -> ARRAY<T>",
            "A row per combination of the elements, each kept or NULL (2^n rows; a NULL element once)."),
        ("GENERATE_SUBSCRIPTS", "GENERATE_SUBSCRIPTS(ARRAY<T>, 1) -> INTEGER",
            "A row per subscript of the array's one dimension, 1 to its length."),
    ];

    /// <summary>The name and signature of a kind (the internal _pg_expandarray is not in <see cref="Catalog"/>).
    /// </summary>
    public static (string Name, string Signature) Describe(TableFunctionKind kind) =>
        kind == TableFunctionKind.PgExpandArray
            ? ("_pg_expandarray", "information_schema._pg_expandarray(ARRAY<T>) -> STRUCT<x T, n INTEGER>")
            : (Catalog[(int)kind].Name, Catalog[(int)kind].Signature);

    /// <summary>Most elements CUBE_EXPLODE takes (2^n rows per input row).</summary>
    public const int MaxCubeElements = 30;

    public static bool TryGetKind(string name, out TableFunctionKind kind)
    {
        switch (name.ToUpperInvariant())
        {
            case "EXPLODE" or "UNNEST":
                kind = TableFunctionKind.Explode;
                return true;
            case "CUBE_EXPLODE":
                kind = TableFunctionKind.CubeExplode;
                return true;
            case "GENERATE_SUBSCRIPTS":
                kind = TableFunctionKind.GenerateSubscripts;
                return true;
            case PgExpandArrayName:
                kind = TableFunctionKind.PgExpandArray;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>The output column's type for an argument of type <paramref name="array"/>.</summary>
    public static SqlType ResultType(TableFunctionKind kind, ArrayType array) => kind switch
    {
        TableFunctionKind.Explode => array.Element,
        TableFunctionKind.GenerateSubscripts => SqlType.Int,
        TableFunctionKind.PgExpandArray => new StructType(new([new StructField("x", array.Element),
            new StructField("n", SqlType.Int)])),
        _ => array,
    };

    /// <summary>PostgreSQL's name (in information_schema) of the function pgjdbc calls; internal, not listed.
    /// </summary>
    public const string PgExpandArrayName = "_PG_EXPANDARRAY";

    /// <summary>How many rows the function gives for <paramref name="array"/>.</summary>
    public static long RowCount(TableFunctionKind kind, SqlArray? array)
    {
        if (array is null || array.Count == 0)
            return 0;
        if (kind is TableFunctionKind.Explode or TableFunctionKind.GenerateSubscripts
            or TableFunctionKind.PgExpandArray)
            return array.Count;
        var nonNull = 0;
        foreach (var item in array.Items)
            nonNull += item is null ? 0 : 1;
        return 1L << nonNull;
    }

    /// <summary>The <paramref name="row"/>-th result (0 &lt;= row &lt; <see cref="RowCount"/>).</summary>
    public static object? Result(TableFunctionKind kind, SqlArray array, long row)
    {
        if (kind == TableFunctionKind.Explode)
            return array.Items[(int)row];
        if (kind == TableFunctionKind.GenerateSubscripts)
            return (int)(row + 1);
        if (kind == TableFunctionKind.PgExpandArray)
            return new SqlStruct([array.Items[(int)row], (int)(row + 1)]);
        // The bits of row say which non-NULL elements are kept, the first element the highest bit: [1, 2] gives
        // [NULL, NULL], [NULL, 2], [1, NULL], [1, 2] as ksqlDB; a NULL element has no "kept" variant.
        var items = new object?[array.Count];
        var bit = RowCount(kind, array) >> 1;
        for (var i = 0; i < items.Length; i++)
        {
            if (array.Items[i] is null)
                continue;
            if ((row & bit) != 0)
                items[i] = array.Items[i];
            bit >>= 1;
        }
        return new SqlArray(items);
    }
}
