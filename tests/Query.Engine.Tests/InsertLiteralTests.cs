namespace Query.Engine.Tests;

/// <summary>INSERT VALUES literals are folded at bind time and stored without compiling each one.</summary>
public sealed class InsertLiteralTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAsync(
        "CREATE STREAM t (d DOUBLE, i INT, b BIGINT, m DECIMAL(6, 2), ts TIMESTAMP, s STRING, f BOOLEAN)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Literals_of_other_types_are_cast_on_assignment()
    {
        await _db.ExecAsync("INSERT INTO t VALUES (3, 2.5, 7, 1, '2024-01-01', 'x', 'true'), "
            + "(-1.25, -2.5, '8', 1.005, TIMESTAMP '2024-01-01 00:00:00.5', '', FALSE), "
            + "(NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        var rows = await _db.QueryAsync("SELECT d, i, b, m, ts, s, f FROM t ORDER BY ROWOFFSET");
        Assert.Equal([3.0, 3, 7L, 1.00m, 1_704_067_200_000L, "x", true], rows[0]);
        Assert.Equal([-1.25, -3, 8L, 1.01m, 1_704_067_200_500L, "", false], rows[1]);
        Assert.Equal(new object?[7], rows[2]);
    }

    [Fact]
    public async Task A_thousand_row_insert_stores_every_row()
    {
        var values = string.Join(", ",
            Enumerable.Range(0, 1000).Select(i => $"({i}.5, {i}, {i}, {i}, NULL, 's{i}', TRUE)"));
        Assert.Equal("INSERT 0 1000", await _db.ExecAsync("INSERT INTO t VALUES " + values));
        var sum = await _db.QueryAsync("SELECT SUM(b), SUM(d), COUNT(s) FROM t");
        Assert.Equal([499_500L, 500_000.0, 1000L], sum[0]);
    }
}
