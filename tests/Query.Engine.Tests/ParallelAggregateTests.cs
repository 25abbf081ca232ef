using System.Globalization;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// A pull GROUP BY over several partitions on several workers (EngineOptions.QueryScanWorkers) answers exactly what
/// one thread answers: the same groups, results and row order; errors and limits of any worker are the query's.
/// </summary>
public sealed class ParallelAggregateTests() : ParallelQueryTestBase(
    "k INT KEY, g STRING, x INT, d DOUBLE, b BIGINT", Rows, 7,
    // d holds halves only, so every sum is exact whatever order the workers add in.
    (random, i) => [random.Next(500), "g" + random.Next(40).ToString(CultureInfo.InvariantCulture),
        i % 17 == 0 ? null : random.Next(-1000, 1000), random.Next(100) / 2.0, (long)random.Next() * 1000])
{
    private const int Rows = 4000;

    [Theory]
    [InlineData("SELECT k, COUNT(*), COUNT(x), SUM(x), SUM(d), AVG(d), SUM(b) FROM s GROUP BY k")]
    [InlineData("SELECT g, COUNT(*), MIN(x), MAX(x), COLLECT_LIST(x), EARLIEST_BY_OFFSET(x) FROM s GROUP BY g")]
    [InlineData("SELECT k % 7 AS m, g, COUNT(*), SUM(x), COUNT_DISTINCT(x) FROM s WHERE x > 0 GROUP BY k % 7, g")]
    [InlineData("SELECT COUNT(*), SUM(x), AVG(d) FROM s")]
    [InlineData("SELECT COUNT(*), SUM(x) FROM s WHERE x > 5000")]
    [InlineData("SELECT k, COUNT(*) FROM s WHERE ROWPARTITION = 2 GROUP BY k HAVING COUNT(*) > 2")]
    public async Task Parallel_groups_equal_one_thread_row_for_row(string sql)
    {
        var expected = Text(await SingleDb.QueryAsync(sql));
        var actual = Text(await ParallelDb.QueryAsync(sql));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Parallel_aggregate_reads_every_record_once()
    {
        var rows = await ParallelDb.QueryAsync("SELECT COUNT(*) FROM s");
        Assert.Equal((long)Rows, Convert.ToInt64(rows[0][0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_failing_row_in_one_worker_fails_the_query_with_its_own_error()
    {
        var error = await ParallelDb.FailsAsync("SELECT g, SUM(x / (k - k)) FROM s WHERE x IS NOT NULL GROUP BY g");
        Assert.Equal(SqlState.DivisionByZero, error.SqlState);
    }

    [Fact]
    public async Task An_int64_sum_that_overflows_fails_as_on_one_thread()
    {
        var errors = new List<Exception>();
        foreach (var db in new[] { SingleDb, ParallelDb })
        {
            await db.ExecAsync("CREATE STREAM big (k INT KEY, b BIGINT) WITH (PARTITIONS = 4)");
            for (var k = 0; k < 8; k++)
                await db.ExecAsync($"INSERT INTO big (k, b) VALUES ({k}, 4611686018427387904)");
            errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => db.QueryAsync("SELECT SUM(b) FROM big")));
        }
        Assert.Equal(errors[0].GetType(), errors[1].GetType());
        Assert.Equal((errors[0] as SqlException)?.SqlState, (errors[1] as SqlException)?.SqlState);
    }
}
