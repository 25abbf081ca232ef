using System.Diagnostics;
using System.Globalization;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// A pull scan over several partitions on several workers (EngineOptions.QueryScanWorkers) gives exactly the rows,
/// in exactly the order, one thread gives: with filters, LIMIT / OFFSET, ORDER BY and top-N above it; an error of
/// any worker is the query's, and a cancel answers 57014.
/// </summary>
public sealed class ParallelScanTests() : ParallelQueryTestBase("k INT KEY, g STRING, x INT, d DOUBLE", Rows, 11,
    (random, i) => [random.Next(300), "g" + random.Next(40).ToString(CultureInfo.InvariantCulture),
        i % 13 == 0 ? null : random.Next(-1000, 1000), random.Next(1000) / 4.0])
{
    private const int Rows = 6000;

    [Theory]
    [InlineData("SELECT * FROM s")]
    [InlineData("SELECT ROWPARTITION, ROWOFFSET, k, x FROM s WHERE x > 900 OR g LIKE '%7'")]
    [InlineData("SELECT k, x FROM s WHERE x > 0 LIMIT 7")]
    [InlineData("SELECT k, x FROM s WHERE x > 0 LIMIT 5 OFFSET 2500")]
    [InlineData("SELECT x FROM s WHERE k = 42 ORDER BY x DESC LIMIT 10")]
    [InlineData("SELECT k, g, x FROM s WHERE d > 100 ORDER BY g, x LIMIT 50")]
    [InlineData("SELECT ROWOFFSET, k FROM s WHERE ROWOFFSET >= 1000 AND ROWPARTITION IN (1, 3)")]
    [InlineData("SELECT k FROM s WHERE x > 5000")]
    public async Task Parallel_scan_equals_one_thread_row_for_row(string sql)
    {
        var expected = Text(await SingleDb.QueryAsync(sql));
        var actual = Text(await ParallelDb.QueryAsync(sql));
        if (!sql.Contains("5000", StringComparison.Ordinal))
            Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Parallel_scan_reads_every_record_once_in_partition_order()
    {
        var rows = await ParallelDb.QueryAsync("SELECT ROWPARTITION, ROWOFFSET FROM s");
        Assert.Equal(Rows, rows.Count);
        for (var i = 1; i < rows.Count; i++)
        {
            var (p0, o0) = (Convert.ToInt32(rows[i - 1][0], CultureInfo.InvariantCulture), (long)rows[i - 1][1]!);
            var (p1, o1) = (Convert.ToInt32(rows[i][0], CultureInfo.InvariantCulture), (long)rows[i][1]!);
            Assert.True(p1 > p0 || (p1 == p0 && o1 == o0 + 1), $"row {i}: ({p0}, {o0}) then ({p1}, {o1})");
        }
    }

    [Fact]
    public async Task A_failing_row_in_one_worker_fails_the_query_with_its_own_error()
    {
        var error = await Assert.ThrowsAsync<SqlException>(
            () => ParallelDb.QueryAsync("SELECT k FROM s WHERE x IS NOT NULL AND x / (k - k) > 0"));
        Assert.Equal(SqlState.DivisionByZero, error.SqlState);
    }

    [Fact]
    public async Task A_limit_that_has_its_rows_stops_the_workers_and_the_session_goes_on()
    {
        for (var i = 0; i < 20; i++)
            Assert.Single(await ParallelDb.QueryAsync("SELECT k FROM s LIMIT 1"));
        var count = await ParallelDb.QueryAsync("SELECT COUNT(*) FROM s");
        Assert.Equal((long)Rows, Convert.ToInt64(count[0][0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Cancel_of_a_parallel_scan_answers_57014()
    {
        // Each row builds a string of 1.2 MB, so the scan of 6,000 rows runs for seconds on any machine.
        const string sql = "SELECT k FROM s WHERE LENGTH(REPEAT(g, 400000)) < 0";
        var session = ParallelDb.Engine.CreateSession();
        using var cancel = new CancellationTokenSource();
        var run = Task.Run(async () =>
        {
            await using var result = await session.ExecuteAsync(sql, cancel.Token);
            await EngineFixture.ReadAllAsync(result.Rows!, cancellationToken: cancel.Token);
        });
        await Task.Delay(300);
        Assert.False(run.IsCompleted, "the query should still be running when it is canceled");
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        var e = await Assert.ThrowsAsync<SqlException>(() => run);
        Assert.Equal(SqlState.QueryCanceled, e.SqlState);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"57014 came {clock.Elapsed} after the cancel");
    }
}
