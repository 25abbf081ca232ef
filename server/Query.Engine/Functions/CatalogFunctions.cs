using System.Text;
using Query.Engine.Errors;
using Query.Engine.SystemCatalog;

namespace Query.Engine.Functions;

/// <summary>
/// The catalog functions clients call in their introspection queries. Those that look a name or an OID up take
/// the query's catalog snapshot as their context (the first parameter), so a prepared statement sees the catalog
/// of its execution.
/// </summary>
public static partial class CatalogFunctions
{
    public static string FormatType(int oid, int typeModifier) => PgTypes.FormatType(oid, typeModifier);

    public static int OctetLength(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>PostgreSQL's <c>to_timestamp(seconds)</c>: epoch seconds (fractions kept to the millisecond).</summary>
    public static long ToTimestamp(double seconds) => checked((long)Math.Round(seconds * 1000));

    /// <summary>PostgreSQL's <c>date_part(field, timestamp)</c> (<c>extract</c>'s function form).</summary>
    public static double DatePart(string field, long timestampMs)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs).UtcDateTime;
        return field.ToLowerInvariant() switch
        {
            "epoch" => timestampMs / 1000.0,
            "year" => time.Year,
            "month" => time.Month,
            "day" => time.Day,
            "hour" => time.Hour,
            "minute" => time.Minute,
            "second" => time.Second + (time.Millisecond / 1000.0),
            "milliseconds" or "millisecond" => (time.Second * 1000) + time.Millisecond,
            "dow" => (int)time.DayOfWeek,
            "doy" => time.DayOfYear,
            "quarter" => ((time.Month - 1) / 3) + 1,
            var other when PgTimeFunctions.MoreFields(other, time, timestampMs) is { } value => value,
            _ => throw new SqlException(SqlState.InvalidParameterValue,
                $"unit \"{field}\" not recognized for type timestamp"),
        };
    }

    /// <summary><c>'name'::regclass</c>: a relation's OID by its (possibly schema-qualified, quoted) name.</summary>
    public static int RegClass(Func<CatalogSnapshot> snapshot, string name)
    {
        var (schema, relation) = SplitName(name);
        if (schema is null or "public" && snapshot().TryGetRelation(relation, out var user))
            return user.Oid;
        // A table's key index, t_pkey (pg_class lists it; pgjdbc and psql name it).
        if (schema is null or "public" && relation.EndsWith("_pkey", StringComparison.Ordinal)
            && snapshot().TryGetRelation(relation[..^5], out var keyed) && keyed.KeyIndexOid != 0)
            return keyed.KeyIndexOid;
        if (PgCatalog.Find(schema, relation) is { } system)
            return system.Oid;
        throw new SqlException(SqlState.UndefinedTable, $"relation \"{name}\" does not exist");
    }

    /// <summary><c>oid::regclass::text</c>: the relation's name, or the OID as text when there is none.</summary>
    public static string RegClassName(Func<CatalogSnapshot> snapshot, int oid)
    {
        if (snapshot().TryGetRelation(oid, out var user))
            return user.Definition.Name;
        if (snapshot().TryGetRelation(oid - 2, out var keyed) && keyed.KeyIndexOid == oid)
            return keyed.Definition.Name + "_pkey";
        foreach (var system in PgCatalog.All)
        {
            if (system.Oid == oid)
                return system.Name;
        }
        return oid.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary><c>'int4'::regtype</c>: a type's OID by its name (PostgreSQL's or the SQL spelling).</summary>
    public static int RegType(string name)
    {
        var (_, type) = SplitName(name.Trim());
        var canonical = type switch
        {
            "integer" or "int" => "int4",
            "bigint" => "int8",
            "smallint" => "int2",
            "boolean" => "bool",
            "real" => "float4",
            "double precision" => "float8",
            "character varying" => "varchar",
            "character" => "bpchar",
            "timestamp without time zone" => "timestamp",
            "timestamp with time zone" => "timestamptz",
            "time without time zone" => "time",
            "decimal" => "numeric",
            _ => type,
        };
        if (canonical.EndsWith("[]", StringComparison.Ordinal))
            canonical = "_" + RegTypeName(RegType(canonical[..^2]));
        return PgTypes.TryGetByName(canonical, out var found) ? found.Oid
            : throw new SqlException(SqlState.UndefinedObject, $"type \"{name}\" does not exist");
    }

    /// <summary><c>oid::regtype::text</c>: the type's SQL name (<c>integer</c>, <c>text[]</c>).</summary>
    public static string RegTypeName(int oid) =>
        PgTypes.TryGet(oid, out _) ? PgTypes.FormatType(oid, -1)
            : oid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>'pg_catalog.array_in'::regproc</c>: the OID of an internal or registry function by name.</summary>
    public static int RegProc(string name) => RegProcOid(SplitName(name).Name)
        ?? throw new SqlException(SqlState.UndefinedFunction, $"function \"{name}\" does not exist");

    /// <summary><c>pg_get_indexdef(oid)</c> of a table's primary-key index.</summary>
    public static string? IndexDefinition(Func<CatalogSnapshot> snapshot, int oid)
    {
        foreach (var relation in snapshot().Relations)
        {
            if (relation.KeyIndexOid == oid && relation.Definition.KeyColumn >= 0)
            {
                var definition = relation.Definition;
                return $"CREATE UNIQUE INDEX {definition.Name}_pkey ON public.{definition.Name} USING btree "
                    + $"({KeyList(definition)})";
            }
        }
        return null;
    }

    /// <summary><c>pg_get_indexdef(oid, column, pretty)</c>: the index's definition for column 0, else the name of
    /// its column-th key column (empty past the last, as PostgreSQL).</summary>
    public static string? IndexColumnDefinition(Func<CatalogSnapshot> snapshot, int oid, int column)
    {
        if (column == 0)
            return IndexDefinition(snapshot, oid);
        foreach (var relation in snapshot().Relations)
        {
            if (relation.KeyIndexOid != oid || relation.Definition.KeyColumn < 0)
                continue;
            var keys = relation.Definition.KeyColumns;
            return column > 0 && column <= keys.Count ? relation.Definition.Columns[keys[column - 1]].Name : "";
        }
        return null;
    }

    /// <summary>The key columns, in key order, as an index or constraint definition lists them.</summary>
    private static string KeyList(Catalog.StreamDefinition definition) =>
        string.Join(", ", definition.KeyColumns.Select(k => definition.Columns[k].Name));

    /// <summary><c>pg_get_constraintdef(oid)</c> of a table's primary key.</summary>
    public static string? ConstraintDefinition(Func<CatalogSnapshot> snapshot, int oid)
    {
        foreach (var relation in snapshot().Relations)
        {
            if (relation.KeyConstraintOid == oid && relation.Definition.KeyColumn >= 0)
                return $"PRIMARY KEY ({KeyList(relation.Definition)})";
        }
        return null;
    }

    /// <summary>Splits <c>schema.name</c> (either part possibly double-quoted), folding unquoted parts.</summary>
    private static (string? Schema, string Name) SplitName(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                if (quoted && i + 1 < text.Length && text[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                    continue;
                }
                quoted = !quoted;
                wasQuoted = true;
                continue;
            }
            if (c == '.' && !quoted)
            {
                parts.Add(wasQuoted ? current.ToString() : Grammar.Ast.Identifier.Fold(current.ToString()));
                current.Clear();
                wasQuoted = false;
                continue;
            }
            current.Append(c);
        }
        parts.Add(wasQuoted ? current.ToString() : Grammar.Ast.Identifier.Fold(current.ToString()));
        return parts.Count > 1 ? (parts[^2], parts[^1]) : (null, parts[0]);
    }
}
