using System.Text.RegularExpressions;
using Query.PgWire.Types;

namespace Query.PgWire.Compat;

/// <summary>The nine steps of psql 15's <c>\d name</c>; pgjdbc's lazy type lookups.</summary>
internal static partial class ClientCatalogQueries
{
    private const int FirstRelationOid = 16384;

    private static CatalogAnswer? TryPsql(string q, string sql, ICatalogSource s)
    {
        if (q.StartsWith("select c.oid, n.nspname, c.relname from pg_catalog.pg_class c", StringComparison.Ordinal))
            return FindRelation(sql, s);
        if (q.StartsWith("select c.relchecks, c.relkind, c.relhasindex", StringComparison.Ordinal))
            return RelationFlags(q, s);
        if (q.StartsWith("select a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)", StringComparison.Ordinal))
            return RelationColumns(q, s);
        if (q.StartsWith("select c2.relname, i.indisprimary", StringComparison.Ordinal))
            return CatalogAnswer.Empty("relname", "indisprimary", "indisunique", "indisclustered", "indisvalid",
                "pg_get_indexdef", "pg_get_constraintdef", "contype", "condeferrable", "condeferred",
                "indisreplident", "reltablespace");
        if (q.StartsWith("select pol.polname", StringComparison.Ordinal))
            return CatalogAnswer.Empty("polname", "polpermissive", "array_to_string", "pg_get_expr", "pg_get_expr",
                "cmd");
        if (q.StartsWith("select oid, stxrelid", StringComparison.Ordinal))
            return CatalogAnswer.Empty("oid", "stxrelid", "nsp", "stxname", "columns", "ndist_enabled",
                "deps_enabled", "mcv_enabled", "stxstattarget");
        if (q.StartsWith("select pubname", StringComparison.Ordinal))
            return CatalogAnswer.Empty("pubname", "?column?", "?column?");
        if (q.StartsWith("select c.oid::pg_catalog.regclass, c.relkind, inhdetachpending", StringComparison.Ordinal))
            return CatalogAnswer.Empty("oid", "relkind", "inhdetachpending", "pg_get_expr");
        if (q.StartsWith("select c.oid::pg_catalog.regclass from pg_catalog.pg_class c, pg_catalog.pg_inherits",
                StringComparison.Ordinal))
            return CatalogAnswer.Empty("oid");
        return null;
    }

    /// <summary>Stable synthetic OID per relation name, so the steps of <c>\d name</c> agree with each other.</summary>
    public static uint RelationOid(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name)
            hash = (hash ^ c) * 16777619;
        return FirstRelationOid + hash % 1_000_000;
    }

    private static CatalogAnswer FindRelation(string sql, ICatalogSource s)
    {
        var pattern = NamePattern(sql);
        PgColumn[] columns = [new("oid", PgTypeOid.Oid), new("nspname", PgTypeOid.Name), new("relname",
            PgTypeOid.Name)];
        return new CatalogAnswer(columns, _ =>
        {
            var rows = new List<object?[]>();
            foreach (var relation in Sorted(s))
            {
                if (pattern is null || pattern.IsMatch(relation.Name))
                    rows.Add([RelationOid(relation.Name), "public", relation.Name]);
            }
            return rows;
        });
    }

    private static CatalogAnswer RelationFlags(string q, ICatalogSource s)
    {
        PgColumn[] columns =
        [
            new("relchecks", PgTypeOid.Int2), new("relkind", PgTypeOid.Char), new("relhasindex", PgTypeOid.Bool),
            new("relhasrules", PgTypeOid.Bool), new("relhastriggers", PgTypeOid.Bool),
            new("relrowsecurity", PgTypeOid.Bool), new("relforcerowsecurity", PgTypeOid.Bool),
            new("relhasoids", PgTypeOid.Bool), new("relispartition", PgTypeOid.Bool), new("?column?", PgTypeOid.Text),
            new("reltablespace", PgTypeOid.Oid), new("reloftype", PgTypeOid.Text), new("relpersistence",
                PgTypeOid.Char),
            new("relreplident", PgTypeOid.Char), new("amname", PgTypeOid.Name),
        ];
        var relation = ByQuotedOid(q, s);
        return new CatalogAnswer(columns, _ => relation is null ? [] :
            [[(short)0, "r", false, false, false, false, false, false, false, "", 0u, "", "p", "d", "heap"]]);
    }

    private static CatalogAnswer RelationColumns(string q, ICatalogSource s)
    {
        PgColumn[] columns =
        [
            new("attname", PgTypeOid.Name), new("format_type", PgTypeOid.Text), new("pg_get_expr", PgTypeOid.Text),
            new("attnotnull", PgTypeOid.Bool), new("attcollation", PgTypeOid.Name), new("attidentity", PgTypeOid.Char),
            new("attgenerated", PgTypeOid.Char),
        ];
        // \d+ asks for four more columns, and psql reads them by position: answering its query with \d's seven
        // made psql read past the row and crash.
        var verbose = q.Contains("a.attstorage", StringComparison.Ordinal);
        if (verbose)
        {
            columns =
            [
                .. columns, new("attstorage", PgTypeOid.Char), new("attcompression", PgTypeOid.Char),
                new("attstattarget", PgTypeOid.Int4), new("col_description", PgTypeOid.Text),
            ];
        }
        var relation = ByQuotedOid(q, s);
        return new CatalogAnswer(columns, _ =>
        {
            var rows = new List<object?[]>();
            foreach (var column in relation?.Columns ?? [])
            {
                object?[] row = [column.Name, PgTypeTable.FormatType(column.TypeOid, column.TypeModifier), null, false,
                    null, "", ""];
                rows.Add(verbose ? [.. row, Storage(column.TypeOid), "", null, null] : row);
            }
            return rows;
        });
    }

    /// <summary>attstorage as PostgreSQL gives it: plain for fixed-length types, extended for the rest.</summary>
    private static string Storage(int typeOid) =>
        typeOid is PgTypeOid.Bool or PgTypeOid.Int2 or PgTypeOid.Int4 or PgTypeOid.Int8 or PgTypeOid.Float4
            or PgTypeOid.Float8 or PgTypeOid.Date or PgTypeOid.Time or PgTypeOid.Timestamp ? "p" : "x";

    private static PgRelation? ByQuotedOid(string q, ICatalogSource s)
    {
        var match = QuotedOid().Match(q);
        if (!match.Success || !uint.TryParse(match.Groups[1].Value, out uint oid))
            return null;
        foreach (var relation in s.ListRelations())
        {
            if (RelationOid(relation.Name) == oid)
                return relation;
        }
        return null;
    }

    /// <summary>psql turns <c>\d name*</c> into <c>c.relname OPERATOR(pg_catalog.~) '^(name.*)$'</c>.</summary>
    private static Regex? NamePattern(string sql)
    {
        var match = RelnamePattern().Match(sql);
        if (!match.Success)
            return null;
        try
        {
            return new Regex(match.Groups[1].Value.Replace("''", "'"), RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            throw new PgException("2201B", "invalid regular expression: " + match.Groups[1].Value);
        }
    }

    private static List<PgRelation> Sorted(ICatalogSource s)
    {
        var relations = new List<PgRelation>(s.ListRelations());
        relations.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return relations;
    }

    [GeneratedRegex(@"relname operator\(pg_catalog\.~\) '((?:[^']|'')*)'", RegexOptions.IgnoreCase)]
    private static partial Regex RelnamePattern();

    [GeneratedRegex(@"(?:c\.oid|a\.attrelid) = '(\d+)'")]
    private static partial Regex QuotedOid();

    private static CatalogAnswer? TryJdbc(string q)
    {
        if (q.StartsWith("select n.nspname = any(current_schemas(true)), n.nspname, t.typname " +
                "from pg_catalog.pg_type t",
                StringComparison.Ordinal))
        {
            PgColumn[] columns = [new("?column?", PgTypeOid.Bool), new("nspname", PgTypeOid.Name), new("typname",
                PgTypeOid.Name)];
            return new CatalogAnswer(columns, p => PgTypeTable.TryGet(TypeParam(p), out var t)
                ? [[true, "pg_catalog", t.Name]] : [], [PgTypeOid.Int4]);
        }
        if (q.StartsWith("select typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid",
                StringComparison.Ordinal))
        {
            PgColumn[] columns =
            [
                new("is_array", PgTypeOid.Bool), new("typtype", PgTypeOid.Char), new("typname", PgTypeOid.Name),
                new("oid", PgTypeOid.Oid),
            ];
            bool byOid = q.Contains("where pg_type.oid = $1", StringComparison.Ordinal);
            return new CatalogAnswer(columns, p =>
            {
                var rows = new List<object?[]>();
                foreach (var t in PgTypeTable.All)
                {
                    if (!byOid || t.Oid == TypeParam(p))
                        rows.Add([t.IsArray, t.IsArray ? "b" : t.TypType.ToString(), t.Name, (uint)t.Oid]);
                }
                return rows;
            }, byOid ? [PgTypeOid.Int8] : []);
        }
        return null;
    }

    private static int TypeParam(PgValues p) => p.Count > 0 && !p.IsNull(0) ? (int)p.GetInt64(0) : 0;
}
