using Query.Testing;
using Xunit.Abstractions;

namespace Query.Engine.Tests.Sql;

/// <summary>
/// The audit of issue 15: every statement PostgreSQL tools send when they connect and introspect (psql's \d family
/// and tab completion, pgcli, psycopg 3, asyncpg, SQLAlchemy, pandas, pgjdbc's DatabaseMetaData, node-postgres,
/// postgres.js, Grafana), read from the team's capture beside the checkout (../shared/reference/
/// pg-tools-introspection.md, never copied into the repository), runs against the engine in order, and where the
/// capture gives the answer's columns they have PostgreSQL's names. Statements with bind parameters are left to the
/// real clients' tests in Query.Server.Tests, which bind them.
/// Then the SQL features the issue lists, each in a statement of its own. Wire-only statements (BEGIN, SET, SHOW)
/// are the wire layer's and are tested there.
/// </summary>
public sealed class PgToolsStatementTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The captured database's OID of its <c>events</c> table, which the captured text holds.</summary>
    private const string CapturedTableOid = "16385";

    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE events (id BIGINT PRIMARY KEY, ts TIMESTAMP, user_id INT, tags ARRAY<INT>, payload STRING) "
            + "WITH (PARTITIONS = 1)",
        "INSERT INTO events VALUES (1, TIMESTAMP '2024-01-01 10:00:00', 7, ARRAY[1, 2], '{}'), "
            + "(2, TIMESTAMP '2024-01-02 11:30:00', 8, ARRAY[3], NULL)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static bool WireOnly(string sql) =>
        sql.TrimStart().Split(' ', 2)[0].ToUpperInvariant() is "BEGIN" or "COMMIT" or "ROLLBACK" or "SET" or "SHOW";

    [Fact]
    public async Task Every_captured_tool_statement_runs_with_postgresql_s_column_names()
    {
        if (SharedReference.Find("pg-tools-introspection.md") is not { } reference)
        {
            output.WriteLine("no ../shared/reference/pg-tools-introspection.md: nothing to check");
            return;
        }
        var oid = (await _db.QueryAsync("SELECT oid FROM pg_class WHERE relname = 'events'"))[0][0]!.ToString()!;
        var failures = new List<string>();
        var run = 0;
        foreach (var statement in SharedReference.SqlBlocks(reference))
        {
            // Statements with bind parameters are run by the real clients (Query.Server.Tests), which bind them.
            if (WireOnly(statement.Sql) || statement.HasParameters)
                continue;
            run++;
            var sql = statement.Sql.Replace(CapturedTableOid, oid, StringComparison.Ordinal);
            try
            {
                await using var result = await _db.Session.ExecuteAsync(_db.Session.Prepare(sql), []);
                if (result.Rows is not { } rows)
                    continue;
                var names = rows.Columns.Select(c => c.Name).ToArray();
                while (await rows.ReadAsync())
                {
                }
                if (statement.Columns is { } expected && !expected.SequenceEqual(names))
                    failures.Add($"{statement.Heading}: columns {string.Join(", ", names)}, PostgreSQL "
                        + $"{string.Join(", ", expected)}\n{sql}");
            }
            catch (Errors.SqlException e)
            {
                failures.Add($"{statement.Heading}: {e.SqlState} {e.Message}\n{sql}");
            }
        }
        output.WriteLine($"{run} statements run, {failures.Count} failed");
        Assert.True(run > 80, $"{run} statements run");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>The SQL features issue 15 lists, one statement each (answers are checked in the tests of each
    /// feature: SubqueryTests, WithAndSetOperationTests, PgExpressionTests, ClientFunctionTests, ...).</summary>
    public static TheoryData<string> Features() =>
    [
        "SELECT e.id, f.id FROM events e JOIN events f ON e.id = f.id",
        "SELECT e.id, f.id FROM events e LEFT JOIN events f ON e.id = f.id + 1",
        "SELECT e.id, f.id FROM events e RIGHT JOIN events f ON e.id = f.id + 1",
        "SELECT e.id, f.id FROM events e FULL JOIN events f ON e.id = f.id + 1",
        "SELECT e.id, f.id FROM events e, events f WHERE e.id < f.id",
        "SELECT e.id, f.id FROM events e CROSS JOIN events f",
        "SELECT * FROM events e JOIN events f USING (id)",
        "SELECT (SELECT max(id) FROM events), id FROM events WHERE id IN (SELECT id FROM events) "
            + "AND EXISTS (SELECT 1 FROM events)",
        "SELECT * FROM (SELECT id FROM events) s",
        "WITH x AS (SELECT id FROM events) SELECT * FROM x",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r",
        "SELECT 1 UNION SELECT 1",
        "SELECT 1 UNION ALL SELECT 1",
        @"SELECT E'a\tb', E'pg\\_%'",
        "SELECT 'events'::regclass, 'int4'::regtype, 'array_in'::regproc, 'events'::regclass::oid",
        "SELECT 1 = ANY(ARRAY[1, 2]), 'abc' OPERATOR(pg_catalog.~) '^a', 'abc' ~ 'B', 'abc' ~* 'B', 'abc' !~ 'b'",
        "SELECT 'a' COLLATE pg_catalog.default, 'a' COLLATE \"C\"",
        "SELECT format_type(23, -1), pg_table_is_visible('events'::regclass), pg_get_userbyid(10), "
            + "current_schemas(true), has_table_privilege('events', 'SELECT'), "
            + "has_schema_privilege('public', 'USAGE'), obj_description('events'::regclass, 'pg_class'), "
            + "col_description('events'::regclass, 1), pg_get_indexdef('events_pkey'::regclass)",
        "SELECT array_agg(id), array_to_string(ARRAY[1, 2], ','), current_database(), current_user, version() "
            + "FROM events",
        "SELECT unnest(ARRAY[1, 2])",
        "SELECT * FROM unnest(ARRAY[1, 2]) u(x)",
        "SELECT to_timestamp(0), extract(epoch from ts), date_part('hour', ts), ts AT TIME ZONE 'UTC', "
            + "ts + INTERVAL '1 hour', ts - interval '1 day', now() > ts, octet_length('héllo') FROM events",
        "SELECT * FROM generate_series(1, 3)",
        "SELECT date_bin('15 minutes', ts, TIMESTAMP '2000-01-01') FROM events",
        "SELECT 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 4, 256 >> 2",
        "SELECT array_to_string(reloptions || ARRAY['x'], ', ') FROM pg_class WHERE relname = 'events'",
        "INSERT INTO events VALUES (1, NULL, 1, NULL, NULL) ON CONFLICT (id) DO NOTHING",
        // Found trying the tools: pgcli's \d (SUBSTRING ... FOR), psql's and pgcli's \df+ (pg_language), SQL's
        // niladic clock names.
        "SELECT substring(pg_get_expr(d.adbin, d.adrelid, true) for 128) FROM pg_attrdef d",
        "SELECT p.proname, l.lanname FROM pg_proc p LEFT JOIN pg_language l ON l.oid = p.prolang",
        "SELECT current_timestamp, current_date, localtimestamp",
    ];

    [Theory]
    [MemberData(nameof(Features))]
    public async Task Every_listed_sql_feature_runs(string sql) => await _db.ExecAsync(sql);
}
