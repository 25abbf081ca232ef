using Query.Engine.Errors;
using Query.Engine.Tiering;
using Query.Engine.Types;
using Query.Testing;
using Query.Tiering;

namespace Query.Engine.Tests;

/// <summary>
/// DECIMAL of 29 to 38 digits through the engine: declared columns, literals, casts, arithmetic and its result
/// types, comparisons, GROUP BY, aggregates and their persistent state, the functions, every value format, and
/// the clear refusals (precision 39, overflow 22003, a tiered stream).
/// </summary>
public sealed class WideDecimalEngineTests : IAsyncLifetime
{
    private const string Big = "12345678987654321.2345678987654321";
    private readonly EngineFixture _db = new(options => options with { PersistentCommitIntervalMs = 20 });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string?> TextAsync(string sql) =>
        (string?)Assert.Single(await _db.QueryAsync($"SELECT CAST(({sql}) AS STRING)"))[0];

    [Theory]
    [InlineData("BINARY")]
    [InlineData("JSON")]
    [InlineData("DELIMITED")]
    [InlineData("PROTOBUF_NOSR")]
    public async Task A_38_digit_column_round_trips_through_each_value_format(string format)
    {
        await _db.ExecAllAsync(
            $"CREATE STREAM d (id INT KEY, v DECIMAL(33, 16), w DECIMAL(38, 2)) WITH (VALUE_FORMAT = '{format}')",
            $"INSERT INTO d (id, v, w) VALUES (1, {Big}, 123456789012345678901234567890123456.78)",
            "INSERT INTO d (id, v, w) VALUES (2, -.12, -1)", "INSERT INTO d (id, v, w) VALUES (3, NULL, NULL)");
        var rows = await _db.QueryAsync("SELECT id, CAST(v AS STRING), CAST(w AS STRING), v FROM d ORDER BY id");
        Assert.Equal([1, Big, "123456789012345678901234567890123456.78"], rows[0][..3]);
        Assert.Equal([2, "-0.1200000000000000", "-1.00"], rows[1][..3]);
        Assert.Equal([3, null, null], rows[2][..3]);
        Assert.Equal(WideDecimal.Parse(Big), Assert.IsType<WideDecimal>(rows[0][3]));
    }

    [Fact]
    public async Task Precision_39_is_refused_and_38_accepted()
    {
        Assert.Equal(SqlState.InvalidParameterValue,
            (await _db.FailsAsync("CREATE STREAM d39 (v DECIMAL(39, 2))")).SqlState);
        await _db.ExecAsync("CREATE STREAM d38 (v DECIMAL(38, 38))");
    }

    [Fact]
    public async Task Literals_casts_and_arithmetic_follow_ksqldb_types_and_overflow_is_22003()
    {
        Assert.Equal("123456789012345678901234567891.5", await TextAsync("123456789012345678901234567890.5 + 1"));
        Assert.Equal("12345678987654321.2345678987654321", await TextAsync($"CAST('{Big}' AS DECIMAL(33, 16))"));
        // DECIMAL(33, 16) * INT is DECIMAL(44, 16) by ksqlDB's rule: past 38 digits the scale gives way (to 10).
        Assert.Equal("24691357975308642.4691357975", await TextAsync($"CAST('{Big}' AS DECIMAL(33, 16)) * 2"));
        Assert.Equal("4115226329218107.078189299588477366667", await TextAsync($"CAST('{Big}' AS DECIMAL(33, 16)) / 3"));
        Assert.Equal("12345678987654321", await TextAsync($"CAST(CAST('{Big}' AS DECIMAL(33, 16)) AS BIGINT)"));
        Assert.Equal(12345678987654321.2345678987654321,
            Assert.Single(await _db.QueryAsync($"SELECT CAST(CAST('{Big}' AS DECIMAL(33, 16)) AS DOUBLE)"))[0]);
        Assert.Equal("0.0000000000000001", await TextAsync(
            "CAST('0.00000000000000005' AS DECIMAL(33, 16))"));
        Assert.Equal(SqlState.NumericValueOutOfRange, (await _db.FailsAsync(
            $"SELECT CAST(CAST('{Big}' AS DECIMAL(33, 16)) AS DECIMAL(10, 2))")).SqlState);
        Assert.Equal(SqlState.NumericValueOutOfRange, (await _db.FailsAsync(
            "SELECT CAST('99999999999999999999999999999999999999' AS DECIMAL(38, 0)) + 1")).SqlState);
        Assert.Equal(SqlState.DivisionByZero, (await _db.FailsAsync(
            "SELECT CAST(1 AS DECIMAL(30, 2)) / CAST(0 AS DECIMAL(30, 2))")).SqlState);
    }

    [Fact]
    public async Task Comparisons_grouping_ordering_and_aggregates_are_exact()
    {
        await _db.ExecAllAsync("CREATE STREAM g (id INT KEY, k DECIMAL(30, 10), v DECIMAL(33, 16)) "
                + "WITH (VALUE_FORMAT = 'JSON', PARTITIONS = 1)",
            "INSERT INTO g (id, k, v) VALUES (1, 1.0000000001, 12345678987654321.0000000000000001), "
                + "(2, 1.0000000001, 0.0000000000000001), (3, 2, -5), (4, 2, NULL)");
        var rows = await _db.QueryAsync("SELECT CAST(k AS STRING), CAST(SUM(v) AS STRING), CAST(MIN(v) AS STRING), "
            + "CAST(MAX(v) AS STRING), CAST(AVG(v) AS STRING), COUNT(v), COUNT_DISTINCT(v) FROM g GROUP BY k ORDER BY k");
        Assert.Equal(["1.0000000001", "12345678987654321.0000000000000002", "0.0000000000000001",
            "12345678987654321.0000000000000001", "6172839493827160.5000000000000001", 2L, 2L], rows[0]);
        Assert.Equal(["2.0000000000", "-5.0000000000000000", "-5.0000000000000000", "-5.0000000000000000",
            "-5.0000000000000000", 1L, 1L], rows[1]);
        var filtered = await _db.QueryAsync(
            "SELECT id FROM g WHERE v > 0.0000000000000001 OR v = CAST('-5' AS DECIMAL(38, 20)) ORDER BY v DESC");
        Assert.Equal([[1], [3]], filtered);
    }

    [Fact]
    public async Task Functions_take_wide_decimals()
    {
        var v = $"CAST('{Big}' AS DECIMAL(33, 16))";
        Assert.Equal("12345678987654321", await TextAsync($"ROUND({v})"));
        Assert.Equal("12345678987654321.2300000000000000", await TextAsync($"ROUND({v}, 2)"));
        Assert.Equal("12345678987654300.0000000000000000", await TextAsync($"ROUND({v}, -2)"));
        Assert.Equal("-12345678987654321", await TextAsync($"TRUNC(-{v})"));
        Assert.Equal("12345678987654321.2345000000000000", await TextAsync($"TRUNC({v}, 4)"));
        Assert.Equal("12345678987654322.0000000000000000", await TextAsync($"CEIL({v})"));
        Assert.Equal("-12345678987654322.0000000000000000", await TextAsync($"FLOOR(-{v})"));
        Assert.Equal(Big, await TextAsync($"ABS(-{v})"));
        Assert.Equal("-1", await TextAsync($"SIGN(-{v})"));
        Assert.Equal(Big, await TextAsync($"GREATEST({v}, 1, NULL)"));
        Assert.Equal("1000000000000", await TextAsync($"GREATEST(1, 1000000000000, {v} / 1000000000000, 0.5E0)"));
        Assert.Equal($"[{Big}]", await TextAsync($"TO_JSON_STRING(ARRAY[{v}])"));
    }

    [Fact]
    public async Task A_persistent_sum_keeps_its_exact_state_across_restarts()
    {
        await _db.ExecAllAsync("SET 'auto.offset.reset' = 'earliest'",
            "CREATE STREAM src (id INT KEY, g STRING, v DECIMAL(35, 20)) WITH (VALUE_FORMAT = 'JSON')",
            "INSERT INTO src (id, g, v) VALUES (1, 'a', 123456789012345.12345678901234567890)",
            "CREATE TABLE sums AS SELECT g, SUM(v) AS s, AVG(v) AS a FROM src GROUP BY g");
        await _db.Engine.WaitForPersistentQueriesAsync(TimeSpan.FromSeconds(30));
        await _db.RestartAsync();
        await _db.ExecAsync("INSERT INTO src (id, g, v) VALUES (2, 'a', 0.00000000000000000010)");
        await _db.Engine.WaitForPersistentQueriesAsync(TimeSpan.FromSeconds(30));
        var row = Assert.Single(await _db.QueryAsync("SELECT CAST(s AS STRING), CAST(a AS STRING) FROM sums"));
        Assert.Equal(["123456789012345.12345678901234567900", "61728394506172.56172839450617283950"], row);
    }

    [Fact]
    public async Task A_tiered_stream_refuses_a_wide_decimal_column_clearly()
    {
        using var cold = new TempDirectory("wide-decimal-cold");
        await using var tiered = new EngineFixture(options => options with
        {
            ColdStore = new ColdStore(cold.Path),
            Tiering = new TieringDefaults(),
        });
        var error = await tiered.FailsAsync("CREATE STREAM t (v DECIMAL(30, 2)) WITH (TIERED = TRUE)");
        Assert.Equal(SqlState.FeatureNotSupported, error.SqlState);
        Assert.Contains("DECIMAL of more than 28 digits", error.Message, StringComparison.Ordinal);
        await tiered.ExecAsync("CREATE STREAM t28 (v DECIMAL(28, 2)) WITH (TIERED = TRUE)");
        Assert.Equal(SqlState.FeatureNotSupported,
            (await tiered.FailsAsync("ALTER STREAM t28 ADD COLUMN w ARRAY<DECIMAL(38, 0)>")).SqlState);
        await tiered.ExecAsync("CREATE STREAM untiered (v DECIMAL(38, 2))");
        Assert.Equal(SqlState.FeatureNotSupported,
            (await tiered.FailsAsync("ALTER STREAM untiered SET (TIERED = TRUE)")).SqlState);
    }
}
