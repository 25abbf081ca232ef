using Query.Engine.Planning;
using Query.Testing;

namespace Query.Engine.Tests;

/// <summary>Which stream columns a query's scan reads (what a columnar source is asked for).</summary>
public sealed class ScanColumnsTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("engine-scan-columns");
    private QueryEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = QueryEngine.Open(new EngineOptions { DataDirectory = _directory.Path });
        await using var _ = await _engine.CreateSession().ExecuteAsync(
            "CREATE STREAM s (a INT, b STRING, c DOUBLE, d ARRAY<INT>)");
        await using var __ = await _engine.CreateSession().ExecuteAsync(
            "CREATE STREAM t (a INT, ts TIMESTAMP) WITH (TIMESTAMP = 'ts')");
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("SELECT a FROM s", "0")]
    [InlineData("SELECT a FROM s WHERE c > 1 AND ROWTIME > 5", "0,2")]
    [InlineData("SELECT count(*) FROM s WHERE b = 'x'", "1")]
    [InlineData("SELECT count(*) FROM s", "")]
    [InlineData("SELECT b, sum(c) FROM s GROUP BY b HAVING sum(c) > 2 ORDER BY b LIMIT 3", "1,2")]
    [InlineData("SELECT * FROM s", "0,1,2,3")]
    [InlineData("SELECT TRANSFORM(d, x => x + a) FROM s", null)]
    // ROWTIME comes from the TIMESTAMP column as each record is read: it is read even when nothing names it.
    [InlineData("SELECT count(*) FROM t", "1")]
    [InlineData("SELECT a FROM t WHERE a > 1", "0,1")]
    public void The_scan_reads_only_the_columns_the_query_uses(string sql, string? expected)
    {
        var session = _engine.CreateSession();
        var query = (Grammar.Ast.QueryStatement)Grammar.SqlParser.Parse(sql)[0];
        var bound = session.PlanSelect(query.Query, new Binding.ParameterTypes(), null);
        var columns = ScanColumns.Of(bound.Root);
        Assert.Equal(expected, columns is null ? null : string.Join(",", columns.Order()));
    }
}
