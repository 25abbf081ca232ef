using System.Text;
using System.Text.RegularExpressions;
using Query.PgWire.Types;

namespace Query.PgWire.Compat;

/// <summary>
/// Answers the fixed catalog queries that real clients send (captured verbatim from Npgsql 10, psql 15 and
/// pgjdbc 42.5 against PostgreSQL 15, see shared/reference/pgwire-captures.md) from the server's own type table
/// and the session's relations. Matching: the statement is lower-cased, comments dropped and whitespace collapsed,
/// then recognised by a distinctive prefix (plus, for psql's <c>\d</c> steps, the quoted OID or name pattern,
/// taken from the original text). A full pg_catalog is deliberately not emulated: unknown catalog queries go to the
/// session, which reports them as unknown relations.
/// </summary>
internal static partial class ClientCatalogQueries
{
    private static readonly string[] Triggers = ["pg_", "version", "current_", "session_user", "typ"];

    /// <summary>
    /// Cheap pre-check so ordinary statements skip normalisation. Every query answered here is a SELECT, so
    /// anything else (a 100 KB multi-row INSERT, say) is turned away by its first word without a scan.
    /// </summary>
    public static bool MightMatch(string sql)
    {
        if (!PgSqlSplitter.FirstWord(sql).Equals("select", StringComparison.OrdinalIgnoreCase))
            return false;
        foreach (var trigger in Triggers)
        {
            if (sql.Contains(trigger, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>True for a query string that should be split by <see cref="PgSqlSplitter"/>, not the engine.</summary>
    public static bool IsCatalogBatch(string sql) =>
        sql.Contains("pg_catalog", StringComparison.OrdinalIgnoreCase) ||
        sql.Contains("pg_type", StringComparison.OrdinalIgnoreCase);

    public static CatalogAnswer? TryAnswer(string sql, ICatalogSource source)
    {
        if (!MightMatch(sql))
            return null;
        var q = Normalize(sql);
        return TryFunctions(q, source) ?? TryNpgsql(q) ?? TryPsql(q, sql, source) ?? TryJdbc(q);
    }

    public static string Normalize(string sql)
    {
        var text = new StringBuilder(sql.Length);
        bool space = false;
        for (int i = 0; i < sql.Length; i++)
        {
            char c = sql[i];
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                int end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
                space = true;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space && text.Length > 0)
                text.Append(' ');
            space = false;
            text.Append(char.ToLowerInvariant(c));
        }
        while (text.Length > 0 && text[^1] == ';')
            text.Length--;
        return text.ToString();
    }

    private static CatalogAnswer? TryFunctions(string q, ICatalogSource s)
    {
        var match = FunctionQuery().Match(q);
        if (!match.Success)
            return null;
        string function = match.Groups[1].Value;
        return function switch
        {
            "version()" => CatalogAnswer.Single("version", PgTypeOid.Text, s.VersionText),
            "current_schema()" or "current_schema" => CatalogAnswer.Single("current_schema", PgTypeOid.Name, "public"),
            "current_database()" or "current_catalog" =>
                CatalogAnswer.Single(function.TrimEnd('(', ')'), PgTypeOid.Name, s.Database),
            "current_user" or "session_user" or "user" => CatalogAnswer.Single(function, PgTypeOid.Name, s.User),
            "pg_backend_pid()" => CatalogAnswer.Single("pg_backend_pid", PgTypeOid.Int4, s.ProcessId),
            "pg_advisory_unlock_all()" => CatalogAnswer.Single("pg_advisory_unlock_all", PgTypeOid.Void, ""),
            _ when match.Groups[2].Success =>
                CatalogAnswer.Single("current_setting", PgTypeOid.Text, s.GetSetting(match.Groups[2].Value) ??
                    throw new PgException(PgSqlState.UndefinedObject,
                        $"unrecognized configuration parameter \"{match.Groups[2].Value}\"")),
            _ => null,
        };
    }

    [GeneratedRegex(@"^select (?:pg_catalog\.)?(version\(\)|current_schema\(\)|current_schema|" +
        @"current_database\(\)|current_catalog|current_user|session_user|user|pg_backend_pid\(\)|" +
        @"pg_advisory_unlock_all\(\)|current_setting\('([a-z_.]+)'\))$")]
    private static partial Regex FunctionQuery();

    private static CatalogAnswer? TryNpgsql(string q)
    {
        if (q.StartsWith("select ns.nspname, t.oid, t.typname, t.typtype, t.typnotnull, t.elemtypoid",
            StringComparison.Ordinal))
            return NpgsqlTypes();
        if (q.StartsWith("select typ.oid, att.attname, att.atttypid from pg_type as typ", StringComparison.Ordinal))
            return CatalogAnswer.Empty("oid", "attname", "atttypid");
        if (q.StartsWith("select typ.oid, enumlabel from pg_enum", StringComparison.Ordinal))
            return CatalogAnswer.Empty("oid", "enumlabel");
        return null;
    }

    private static CatalogAnswer NpgsqlTypes()
    {
        PgColumn[] columns =
        [
            new("nspname", PgTypeOid.Name), new("oid", PgTypeOid.Oid), new("typname", PgTypeOid.Name),
            new("typtype", PgTypeOid.Char), new("typnotnull", PgTypeOid.Bool), new("elemtypoid", PgTypeOid.Oid),
        ];
        return new CatalogAnswer(columns, _ =>
        {
            var rows = new List<object?[]>();
            foreach (var type in PgTypeTable.All)
            {
                rows.Add(["pg_catalog", (uint)type.Oid, type.Name, type.TypType.ToString(), false,
                    type.IsArray ? (uint)type.ElementOid : null]);
            }
            return rows;
        });
    }
}
