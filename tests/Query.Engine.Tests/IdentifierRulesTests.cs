using System.Text.Json.Nodes;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// PostgreSQL's identifier rules: unquoted names fold to lower case, quoted names keep their case, result columns
/// are named as PostgreSQL names them, and a catalog written when names folded to upper case is migrated on open.
/// </summary>
public sealed class IdentifierRulesTests : IAsyncDisposable
{
    private readonly EngineFixture _db = new();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private List<string> ColumnNames(string sql) => [.. _db.Session.Prepare(sql).Columns.Select(c => c.Name)];

    [Fact]
    public async Task Unquoted_names_fold_to_lower_case_and_quoted_names_keep_theirs()
    {
        await _db.ExecAllAsync("CREATE STREAM Orders (Id INT KEY, \"Mixed\" STRING, \"UP\" INT) WITH (PARTITIONS = 1)",
            "INSERT INTO ORDERS (ID, \"Mixed\", \"UP\") VALUES (1, 'a', 2)");
        Assert.Equal("orders", Assert.Single(_db.Engine.ListStreams()).Name);
        Assert.Equal(["id", "Mixed", "UP"], _db.Engine.ListStreams()[0].Columns.Select(c => c.Name));
        Assert.Equal([1, "a", 2], Assert.Single(await _db.QueryAsync("SELECT iD, \"Mixed\", \"UP\" FROM \"orders\"")));
        Assert.Equal(SqlState.UndefinedColumn, (await _db.FailsAsync("SELECT mixed FROM orders")).SqlState);
        Assert.Equal(SqlState.UndefinedColumn, (await _db.FailsAsync("SELECT up FROM orders")).SqlState);
        Assert.Equal(SqlState.UndefinedTable, (await _db.FailsAsync("SELECT * FROM \"ORDERS\"")).SqlState);
    }

    [Fact]
    public async Task Result_columns_are_named_as_postgresql_names_them()
    {
        await _db.ExecAsync("CREATE STREAM t (k INT KEY, x INT, s STRING) WITH (PARTITIONS = 1)");
        Assert.Equal(["?column?", "one", "One", "?column?"], ColumnNames("SELECT 1, 1 AS One, 2 AS \"One\", 1 + 2"));
        Assert.Equal(["count", "sum", "max"], ColumnNames("SELECT COUNT(*), Sum(x), max(x) FROM t"));
        Assert.Equal(["x", "s", "upper", "int4", "text", "case", "x"],
            ColumnNames("SELECT X, t.s, UPPER(s), 1::int, 'a'::text, CASE WHEN x > 1 THEN 1 END, x::bigint FROM t"));
    }

    [Fact]
    public async Task Ksqldb_statements_in_upper_case_keep_working()
    {
        await _db.ExecAllAsync("CREATE STREAM PAGEVIEWS (USER_ID INT KEY, PAGE STRING) WITH (PARTITIONS = 1)",
            "INSERT INTO PAGEVIEWS (USER_ID, PAGE) VALUES (7, '/a')",
            "CREATE STREAM VIEWS_A AS SELECT USER_ID, PAGE FROM PAGEVIEWS WHERE PAGE = '/a' EMIT CHANGES");
        Assert.Equal([7, "/a"], Assert.Single(await _db.QueryAsync("SELECT user_id, page FROM pageviews")));
        Assert.Contains(_db.Engine.ListStreams(), s => s.Name == "views_a");
    }

    [Fact]
    public async Task A_catalog_written_with_upper_case_folding_is_migrated_on_open()
    {
        await _db.ExecAllAsync("CREATE STREAM events (id INT KEY, page STRING, \"Mixed\" STRING, "
            + "info STRUCT<city STRING>) WITH (PARTITIONS = 1)",
            "INSERT INTO events VALUES (1, '/x', 'm', STRUCT(city := 'Oslo'))");
        await _db.Engine.DisposeAsync();
        // Rewrite the catalog as version 1 wrote it: unquoted names upper-cased, quoted ones as written.
        var path = Path.Combine(_db.DataDirectory, "catalog.json");
        var file = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        file["Version"] = 1;
        var entry = file["Streams"]![0]!;
        entry["Name"] = "EVENTS";
        entry["ColumnNames"] = new JsonArray("ID", "PAGE", "Mixed", "INFO");
        entry["ColumnTypes"]![3] = "STRUCT<`CITY` STRING>";
        await File.WriteAllTextAsync(path, file.ToJsonString());

        await _db.RestartAsync();
        var stream = Assert.Single(_db.Engine.ListStreams());
        Assert.Equal("events", stream.Name);
        Assert.Equal(["id", "page", "Mixed", "info"], stream.Columns.Select(c => c.Name));
        Assert.Equal("STRUCT<`city` STRING>", stream.Columns[3].Type.ToString());
        Assert.Equal([1, "/x", "m", "Oslo"],
            Assert.Single(await _db.QueryAsync("SELECT id, page, \"Mixed\", info->city FROM events")));
        var migrated = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.Equal(2, (int)migrated["Version"]!);
        Assert.Equal("events", (string)migrated["Streams"]![0]!["Name"]!);
    }
}
