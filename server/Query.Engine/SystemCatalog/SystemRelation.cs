using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.SystemCatalog;

/// <summary>
/// A relation of <c>pg_catalog</c> or <c>information_schema</c>: its columns and how its rows are generated from a
/// <see cref="CatalogSnapshot"/>. Columns are declared as <c>name:pgtype</c>; the PostgreSQL type decides the
/// engine's type (<c>oid</c>, <c>int2</c>, <c>int4</c>, <c>regproc</c> are INT; <c>name</c>, <c>"char"</c> and
/// <c>text</c> are STRING; vectors and arrays are ARRAYs) and is what pg_attribute reports for the column.
/// </summary>
public sealed class SystemRelation
{
    private readonly Func<CatalogSnapshot, IEnumerable<object?[]>> _rows;

    public SystemRelation(string schema, string name, int oid, char kind, string columns,
        Func<CatalogSnapshot, IEnumerable<object?[]>> rows)
    {
        Schema = schema;
        Name = name;
        Oid = oid;
        Kind = kind;
        _rows = rows;
        var specs = columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var infos = new ColumnInfo[specs.Length];
        var pgTypes = new int[specs.Length];
        for (var i = 0; i < specs.Length; i++)
        {
            var parts = specs[i].Split(':');
            pgTypes[i] = PgTypeOid(parts[1]);
            infos[i] = new ColumnInfo(parts[0], EngineType(parts[1]))
            {
                PgTypeOid = pgTypes[i] is PgTypes.Oid or PgTypes.Name or PgTypes.Char ? pgTypes[i] : 0,
            };
        }
        Columns = infos;
        ColumnPgTypes = pgTypes;
    }

    public string Schema { get; }

    public string Name { get; }

    /// <summary>pg_class.oid of the relation itself (below 16384, as PostgreSQL's own catalogs).</summary>
    public int Oid { get; }

    /// <summary>pg_class.relkind: <c>r</c> for a catalog table, <c>v</c> for a view.</summary>
    public char Kind { get; }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    /// <summary>The PostgreSQL type OID of each column (pg_attribute.atttypid).</summary>
    public IReadOnlyList<int> ColumnPgTypes { get; }

    /// <summary>The rows, as cells of the columns' types.</summary>
    public List<Cell[]> Rows(CatalogSnapshot snapshot)
    {
        var rows = new List<Cell[]>();
        foreach (var values in _rows(snapshot))
        {
            if (values.Length != Columns.Count)
            {
                throw new InvalidOperationException(
                    $"{Name}: a row of {values.Length} values for {Columns.Count} columns");
            }
            var cells = new Cell[values.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                // A regproc column holds the function's OID (its rows name it, as PostgreSQL prints it).
                var value = ColumnPgTypes[i] == PgTypes.RegProc && values[i] is string function
                    ? InternalFunctions.OidOf(function) : values[i];
                cells[i] = Cell.FromObject(Convert(value, Columns[i].Type), Columns[i].Type);
            }
            rows.Add(cells);
        }
        return rows;
    }

    private static object? Convert(object? value, SqlType type) => value switch
    {
        null => null,
        char c => c.ToString(),
        int[] ints => new SqlArray([.. ints.Select(i => (object?)i)]),
        string[] texts => new SqlArray([.. texts.Select(t => (object?)t)]),
        int i when type.Kind == SqlTypeKind.Double => (double)i,
        _ => value,
    };

    private static SqlType EngineType(string pgType) => pgType switch
    {
        "oid" or "int2" or "int4" or "xid" or "regclass" or "regtype" or "regproc" => SqlType.Int,
        "int8" => SqlType.BigInt,
        "bool" => SqlType.Boolean,
        "float4" or "float8" => SqlType.Double,
        "oid[]" or "int2[]" or "int2vector" or "oidvector" or "int4[]" => new ArrayType(SqlType.Int),
        "text[]" or "name[]" or "char[]" or "aclitem[]" => new ArrayType(SqlType.String),
        _ => SqlType.String,
    };

    private static int PgTypeOid(string pgType) => pgType switch
    {
        "oid" => PgTypes.Oid,
        "int2" => PgTypes.Int2,
        "int4" => PgTypes.Int4,
        "int8" => PgTypes.Int8,
        "xid" => 28,
        "regclass" => PgTypes.RegClass,
        "regtype" => PgTypes.RegType,
        "regproc" => PgTypes.RegProc,
        "bool" => PgTypes.Bool,
        "float4" => PgTypes.Float4,
        "float8" => PgTypes.Float8,
        "name" => PgTypes.Name,
        "char" => PgTypes.Char,
        "oid[]" => 1028,
        "int2[]" => 1005,
        "int4[]" => 1007,
        "int2vector" => PgTypes.Int2Vector,
        "oidvector" => PgTypes.OidVector,
        "text[]" or "aclitem[]" => 1009,
        "name[]" => 1003,
        "char[]" => 1002,
        _ => PgTypes.Text,
    };
}
