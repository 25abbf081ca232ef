using Query.Engine.Errors;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Tests;

public sealed class InsertTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAsync(
        "CREATE STREAM t (k STRING KEY, i INT, d DECIMAL(5, 2), ts TIMESTAMP, s STRING) WITH (PARTITIONS = 4)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<long> CountAsync() => (long)(await _db.QueryAsync("SELECT COUNT(*) FROM t"))[0][0]!;

    [Fact]
    public async Task Multi_row_insert_reports_its_count_and_converts_like_postgres()
    {
        var tag = await _db.ExecAsync(
            "INSERT INTO t VALUES ('a', 1, 1.005, '2024-01-01T00:00:00Z', 'x'), ('b', '7', 3, TIMESTAMP '2024-01-02 "
                + "00:00:00', NULL)");
        Assert.Equal("INSERT 0 2", tag);
        var rows = await _db.QueryAsync("SELECT k, i, d, ts, s FROM t ORDER BY k");
        Assert.Equal(["a", 1, 1.01m, 1704067200000L, "x"], rows[0]);
        Assert.Equal(["b", 7, 3.00m, 1704153600000L, null], rows[1]);
    }

    [Fact]
    public async Task A_bad_row_writes_nothing_from_the_statement()
    {
        var error = await _db.FailsAsync("INSERT INTO t (k, i) VALUES ('a', 1), ('b', 'seven')");
        Assert.Equal(SqlState.InvalidTextRepresentation, error.SqlState);
        Assert.NotNull(error.Position);
        Assert.Equal(0, await CountAsync());
    }

    [Theory]
    [InlineData("INSERT INTO t (k, i) VALUES ('a', 3000000000)", SqlState.NumericValueOutOfRange)]
    [InlineData("INSERT INTO t (k, d) VALUES ('a', 1000.5)", SqlState.NumericValueOutOfRange)]
    [InlineData("INSERT INTO t (k, i) VALUES ('a', TRUE)", SqlState.DatatypeMismatch)]
    [InlineData("INSERT INTO t (k, nope) VALUES ('a', 1)", SqlState.UndefinedColumn)]
    [InlineData("INSERT INTO t (k, i) VALUES ('a', 1, 2)", SqlState.SyntaxError)]
    [InlineData("INSERT INTO t (k, ts) VALUES ('a', 'not a time')", SqlState.InvalidDatetimeFormat)]
    [InlineData("INSERT INTO t (k, i) VALUES ('a', 1 / 0)", SqlState.DivisionByZero)]
    [InlineData("INSERT INTO t (rowoffset) VALUES (1)", "428C9")]
    [InlineData("INSERT INTO nope VALUES (1)", SqlState.UndefinedTable)]
    public async Task Invalid_values_raise_the_postgres_sqlstate(string sql, string sqlState)
    {
        var error = await _db.FailsAsync(sql);
        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Keys_land_in_the_partition_kafka_would_choose()
    {
        var keys = new[] { "alpha", "beta", "gamma", "delta", "epsilon", "zeta" };
        foreach (var key in keys)
            await _db.ExecAsync($"INSERT INTO t (k, i) VALUES ('{key}', 1)");
        var rows = await _db.QueryAsync("SELECT k, ROWPARTITION FROM t");
        foreach (var row in rows)
        {
            var expected = KafkaPartitioner.Partition(System.Text.Encoding.UTF8.GetBytes((string)row[0]!), 4);
            Assert.Equal(expected, row[1]);
        }
    }

    [Fact]
    public async Task Rows_without_a_key_are_spread_over_partitions()
    {
        await _db.ExecAsync("INSERT INTO t (i) VALUES (1), (2), (3), (4), (5), (6), (7), (8)");
        var rows = await _db.QueryAsync("SELECT ROWPARTITION, COUNT(*) FROM t GROUP BY ROWPARTITION");
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(2L, r[1]));
    }

    [Fact]
    public async Task Timestamp_column_and_rowtime_target_supply_rowtime()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM e (id INT, at TIMESTAMP) WITH (TIMESTAMP = 'at')",
            "INSERT INTO e VALUES (1, '2024-03-01T10:00:00Z')",
            "INSERT INTO e (id, at, ROWTIME) VALUES (2, '2024-03-02T00:00:00Z', 5)",
            "INSERT INTO e (id, ROWTIME) VALUES (3, '2024-03-02T00:00:00Z')",
            "INSERT INTO e (id, at) VALUES (4, CAST(-1 AS BIGINT)::TIMESTAMP)");
        var rows = await _db.QueryAsync("SELECT id, ROWTIME FROM e ORDER BY id");
        // As ksqlDB's timestamp extractor: the column wins over a named ROWTIME; a NULL or negative one drops the
        // record from queries (it stays in the log, counted as skipped).
        Assert.Equal(2, rows.Count);
        Assert.Equal(1709287200000L, rows[0][1]);
        Assert.Equal(1709337600000L, rows[1][1]);
        var describe = await _db.QueryAsync("DESCRIBE EXTENDED e");
        Assert.Contains(describe, row => row[2] is string text && text.EndsWith("skipped_records 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prepared_insert_infers_parameter_types_from_columns()
    {
        var prepared = _db.Session.Prepare("INSERT INTO t (k, i, d) VALUES ($1, $2, $3)");
        Assert.Equal([SqlType.String, SqlType.Int, new DecimalType(5, 2)], prepared.ParameterTypes);
        Assert.False(prepared.ReturnsRows);
        await using (var result = await _db.Session.ExecuteAsync(prepared, ["p", 42, 2.5m]))
            Assert.Equal("INSERT 0 1", result.CommandTag);
        await using (var result = await _db.Session.ExecuteAsync(prepared, ["q", "43", "1.25"]))
            Assert.Equal("INSERT 0 1", result.CommandTag);
        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task Bulk_insert_commits_all_rows_or_none()
    {
        await using (var bulk = _db.Session.BeginBulkInsert("t", ["k", "i", "s"]))
        {
            for (var n = 0; n < 1000; n++)
                bulk.AddTextRow([$"key{n}", n.ToString(System.Globalization.CultureInfo.InvariantCulture), null]);
            bulk.AddRow(["typed", 5, "text"]);
            Assert.Equal(1001, await bulk.CommitAsync());
        }
        await using (var failing = _db.Session.BeginBulkInsert("t", ["k", "i"]))
        {
            failing.AddTextRow(["x", "1"]);
            var error = Assert.Throws<SqlException>(() => failing.AddTextRow(["y", "not a number"]));
            Assert.Equal(SqlState.InvalidTextRepresentation, error.SqlState);
            Assert.Contains("line 2", error.Detail, StringComparison.Ordinal);
        }
        Assert.Equal(1001, await CountAsync());
    }
}

/// <summary>INSERT and COPY are one storage transaction: a failure on one partition leaves nothing anywhere.</summary>
public sealed class InsertAtomicityTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAsync(
        "CREATE STREAM t (k STRING KEY, i INT) WITH (PARTITIONS = 4)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<long> CountAsync() => (long)(await _db.QueryAsync("SELECT COUNT(*) FROM t"))[0][0]!;

    private Storage.PartitionLog Partition(int partition)
    {
        Assert.True(_db.Engine.TryGetStream("t", out var stream));
        return stream.Log.GetPartition(partition);
    }

    private static string Values(int rows) =>
        string.Join(", ", Enumerable.Range(0, rows).Select(i => $"('k{i}', {i})"));

    [Theory]
    [InlineData(28, SqlState.DiskFull)]
    [InlineData(5, SqlState.IoError)]
    public async Task A_failed_write_on_one_partition_fails_a_50_row_insert_whole_and_a_retry_adds_it_once(
        int errno, string sqlState)
    {
        Partition(2).WriteFault = (_, _, _) => throw new IOException("simulated failure", errno);
        var error = await _db.FailsAsync("INSERT INTO t VALUES " + Values(50));
        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(0, await CountAsync());
        for (var p = 0; p < 4; p++)
            Assert.Equal(0, Partition(p).EndOffset);
        Partition(2).WriteFault = null;
        Assert.Equal("INSERT 0 50", await _db.ExecAsync("INSERT INTO t VALUES " + Values(50)));
        Assert.Equal(50, await CountAsync());
        await _db.RestartAsync();
        Assert.Equal(50, await CountAsync());
        var offsets = await _db.QueryAsync("SELECT ROWPARTITION, ROWOFFSET FROM t");
        foreach (var group in offsets.GroupBy(r => r[0]))
        {
            var sorted = group.Select(r => (long)r[1]!).Order().ToList();
            Assert.Equal(Enumerable.Range(0, sorted.Count).Select(i => (long)i), sorted);
        }
    }
}
