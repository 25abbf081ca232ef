using System.Buffers;
using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>
/// TOPK's several-column form, ksqlDB 0.29's <c>TOPK(sort_col, col1, ..., k)</c>: an ARRAY of STRUCTs named
/// <c>sort_col</c>, <c>col0</c>, <c>col1</c>, ... ranked by the first, in pull, push and persistent queries, its state
/// kept across a restart. The data and expected orders are those of ksqlDB's <c>topk-group-by.json</c> cases.
/// </summary>
public sealed class TopKColumnsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new(options => options with
    {
        PersistentCommitIntervalMs = 5,
        PersistentSnapshotMinRecords = 20,
    });

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM s (id BIGINT KEY, name STRING, v INT, d DOUBLE) WITH (FORMAT = 'JSON')",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task InsertKsqlCaseAsync() => await _db.ExecAsync("INSERT INTO s (id, name, v, d) VALUES "
        + "(0, 'zero', 0, 0.5), (0, 'one', 100, 1.5), (0, 'two', 99, NULL), (0, 'three', 7, 3.5), "
        + "(0, 'four', 100, 4.5)");

    private static string Text(object? value, SqlType type) => ValueText.Format(value, type);

    /// <summary>Expected JSON text written with single quotes.</summary>
    private static string J(string text) => text.Replace('\'', '"');

    [Fact]
    public async Task A_pull_group_by_ranks_by_the_first_column_and_keeps_ties_in_arrival_order()
    {
        await InsertKsqlCaseAsync();
        var prepared = _db.Session.Prepare("SELECT id, TOPK(v, name, 3) AS topk FROM s GROUP BY id");
        var type = prepared.Columns[1].Type;
        Assert.Equal("ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING>>", type.ToString());
        var row = Assert.Single(await _db.QueryAsync("SELECT id, TOPK(v, name, 3) AS topk FROM s GROUP BY id"));
        // ksqlDB's "topk integer struct": 100 'one' arrived before 100 'four'.
        Assert.Equal(J("[{'sort_col':100,'col0':'one'},{'sort_col':100,'col0':'four'},{'sort_col':99,'col0':'two'}]"),
            Text(row[1], type));
    }

    [Fact]
    public async Task Every_other_column_rides_along_in_the_order_written_and_nulls_are_kept()
    {
        await InsertKsqlCaseAsync();
        var sql = "SELECT TOPK(d, name, v, 2) AS top, TOPK(name, d, 2) AS by_name FROM s GROUP BY id";
        var columns = _db.Session.Prepare(sql).Columns;
        Assert.Equal("ARRAY<STRUCT<`sort_col` DOUBLE, `col0` STRING, `col1` INTEGER>>", columns[0].Type.ToString());
        var row = Assert.Single(await _db.QueryAsync(sql));
        // The row with a NULL d is skipped; a NULL beside the ranked value is kept.
        Assert.Equal(J("[{'sort_col':4.5,'col0':'four','col1':100},{'sort_col':3.5,'col0':'three','col1':7}]"),
            Text(row[0], columns[0].Type));
        Assert.Equal(J("[{'sort_col':'zero','col0':0.5},{'sort_col':'two','col0':null}]"), Text(row[1], columns[1].Type));
    }

    [Fact]
    public async Task A_persistent_table_emits_each_change_and_resumes_from_its_snapshot_after_a_restart()
    {
        await _db.ExecAsync("CREATE TABLE top2 AS SELECT id, TOPK(v, name, 2) AS topk FROM s GROUP BY id");
        for (var round = 0; round < 40; round++)
        {
            await _db.ExecAsync($"INSERT INTO s (id, name, v) VALUES ({round % 2}, 'r{round}', {(round * 37) % 101})");
            await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
        }
        var expected = await RowsAsync("SELECT id, TOPK(v, name, 2) FROM s GROUP BY id");
        Assert.Equal(expected, await RowsAsync("SELECT id, topk FROM top2"));
        await _db.RestartAsync();
        await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
        await _db.ExecAsync("INSERT INTO s (id, name, v) VALUES (0, 'late', 1000), (1, 'low', -5)");
        await _db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var after = await RowsAsync("SELECT id, topk FROM top2");
        Assert.Equal(await RowsAsync("SELECT id, TOPK(v, name, 2) FROM s GROUP BY id"), after);
        Assert.Contains(after, r => r.StartsWith("0|", StringComparison.Ordinal) && r.Contains("late"));
        Assert.True(_db.Engine.Queries.List().Single().StateRecordsReplayed > 0);
    }

    [Fact]
    public async Task A_push_query_emits_the_group()
    {
        await InsertKsqlCaseAsync();
        // One INSERT is one batch: the group is emitted once, with its state after the batch.
        var sql = "SELECT id, TOPK(v, name, 2) AS topk FROM s GROUP BY id EMIT CHANGES LIMIT 1";
        var type = _db.Session.Prepare(sql).Columns[1].Type;
        var row = Assert.Single(await _db.QueryAsync(sql));
        Assert.Equal(J("[{'sort_col':100,'col0':'one'},{'sort_col':100,'col0':'four'}]"), Text(row[1], type));
    }

    [Theory]
    [InlineData("SELECT TOPK(ARRAY[v], name, 2) FROM s", "Function 'topk' does not accept parameters "
        + "(ARRAY<INTEGER>, STRING, INTEGER).")]
    [InlineData("SELECT TOPK(STRUCT(a := v), 2) FROM s", "Function 'topk' does not accept parameters "
        + "(STRUCT<`a` INTEGER>, INTEGER).")]
    [InlineData("SELECT TOPK(v, name, v) FROM s", "TOPK's k must be an integer literal")]
    [InlineData("SELECT TOPKDISTINCT(v, name, 2) FROM s", "function TOPKDISTINCT takes exactly 2 arguments")]
    [InlineData("SELECT TOPK(v) FROM s", "function TOPK takes at least 2 arguments")]
    public async Task What_topk_cannot_rank_is_undefined_function(string sql, string message)
    {
        var error = await _db.FailsAsync(sql);
        Assert.Equal(SqlState.UndefinedFunction, error.SqlState);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task A_delimited_sink_cannot_hold_the_result_as_in_ksqldb()
    {
        await _db.ExecAsync("CREATE STREAM d (id BIGINT KEY, name STRING, v INT) WITH (FORMAT = 'DELIMITED')");
        Assert.Equal("42P16", (await _db.FailsAsync(
            "CREATE TABLE d2 AS SELECT id, TOPK(v, name, 3) AS topk FROM d GROUP BY id")).SqlState);
    }

    [Fact]
    public void The_state_round_trips_and_merges_with_the_ranked_field_compared()
    {
        var row = new StructType(new EquatableArray<StructField>(
            [new StructField("sort_col", SqlType.BigInt), new StructField("col0", SqlType.String)]));
        Accumulator Create() => AggregateFunctions.Create(
            new Binding.BoundAggregate(AggregateKind.TopK, null, row, new ArrayType(row)) { Parameter = 3 });
        var whole = Create();
        var first = Create();
        var second = Create();
        for (var i = 0; i < 20; i++)
        {
            var value = Cell.FromRef(new SqlStruct([i % 3 == 0 ? null : (long)(i * 7 % 11), $"n{i}"]));
            whole.Add(value);
            (i < 10 ? first : second).Add(value);
        }
        var writer = new ArrayBufferWriter<byte>();
        whole.Serialize(writer);
        var restored = Create();
        restored.Restore(writer.WrittenSpan);
        var expected = Text(whole.Result().ToObject(new ArrayType(row)), new ArrayType(row));
        Assert.Equal(J("[{'sort_col':10,'col0':'n14'},{'sort_col':9,'col0':'n17'},{'sort_col':7,'col0':'n1'}]"),
            expected);
        Assert.Equal(expected, Text(restored.Result().ToObject(new ArrayType(row)), new ArrayType(row)));
        first.Merge(second);
        Assert.Equal(expected, Text(first.Result().ToObject(new ArrayType(row)), new ArrayType(row)));
    }

    private async Task<List<string>> RowsAsync(string sql)
    {
        var type = _db.Session.Prepare(sql).Columns[1].Type;
        return (await _db.QueryAsync(sql)).Select(r => $"{r[0]}|{Text(r[1], type)}").Order(StringComparer.Ordinal)
            .ToList();
    }
}
