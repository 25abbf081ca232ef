using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>SHOW FUNCTIONS lists ksqlDB's whole function reference, and functions work through the engine.</summary>
public sealed class FunctionCatalogTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>ksqlDB's scalar function reference (0.29), by name.</summary>
    private static readonly string[] KsqlScalarFunctions =
    [
        "ABS", "ACOS", "ASIN", "AS_VALUE", "ATAN", "ATAN2", "CAST", "CBRT", "CEIL", "COS", "COSH", "COT", "DEGREES",
        "ENTRIES", "EXP", "FLOOR", "GENERATE_SERIES", "GEO_DISTANCE", "GREATEST", "LEAST", "LN", "LOG", "PI",
        "POWER", "RADIANS", "RANDOM", "ROUND", "SIGN", "SIN", "SINH", "SQRT", "TAN", "TANH", "TRUNC",
        "ARRAY_CONCAT", "ARRAY_CONTAINS", "ARRAY_DISTINCT", "ARRAY_EXCEPT", "ARRAY_INTERSECT", "ARRAY_JOIN",
        "ARRAY_LENGTH", "ARRAY_MAX", "ARRAY_MIN", "ARRAY_REMOVE", "ARRAY_SORT", "ARRAY_UNION", "AS_MAP", "ELT",
        "FIELD", "JSON_ARRAY_CONTAINS", "MAP_KEYS", "MAP_VALUES", "MAP_UNION", "SLICE", "FILTER", "REDUCE",
        "TRANSFORM", "CHR", "CONCAT", "CONCAT_WS", "ENCODE", "EXTRACTJSONFIELD", "FROM_BYTES", "IS_JSON_STRING",
        "JSON_ARRAY_LENGTH", "JSON_CONCAT", "JSON_KEYS", "JSON_RECORDS", "JSON_ITEMS", "TO_JSON_STRING", "INITCAP",
        "INSTR", "LCASE", "LEN", "LPAD", "MASK", "MASK_KEEP_LEFT", "MASK_KEEP_RIGHT", "MASK_LEFT", "MASK_RIGHT",
        "REPLACE", "REGEXP_EXTRACT", "REGEXP_EXTRACT_ALL", "REGEXP_REPLACE", "REGEXP_SPLIT_TO_ARRAY", "RPAD",
        "SPLIT", "SPLIT_TO_MAP", "SUBSTRING", "TO_BYTES", "TRIM", "UCASE", "UUID", "BIGINT_FROM_BYTES",
        "DOUBLE_FROM_BYTES", "INT_FROM_BYTES", "COALESCE", "IFNULL", "NULLIF", "CONVERT_TZ", "DATEADD", "DATESUB",
        "FORMAT_DATE", "FORMAT_TIME", "FORMAT_TIMESTAMP", "FROM_DAYS", "FROM_UNIXTIME", "PARSE_DATE", "PARSE_TIME",
        "PARSE_TIMESTAMP", "TIMEADD", "TIMESUB", "TIMESTAMPADD", "TIMESTAMPSUB", "UNIX_DATE", "UNIX_TIMESTAMP",
        "DATETOSTRING", "STRINGTODATE", "TIMESTAMPTOSTRING", "STRINGTOTIMESTAMP", "URL_DECODE_PARAM",
        "URL_ENCODE_PARAM", "URL_EXTRACT_FRAGMENT", "URL_EXTRACT_HOST", "URL_EXTRACT_PARAMETER", "URL_EXTRACT_PATH",
        "URL_EXTRACT_PORT", "URL_EXTRACT_PROTOCOL", "URL_EXTRACT_QUERY",
    ];

    [Fact]
    public async Task Show_functions_lists_every_ksqldb_scalar_function_and_each_describes()
    {
        var listed = new HashSet<string>();
        foreach (var row in await _db.QueryAsync("SHOW FUNCTIONS"))
            listed.Add((string)row[0]!);
        Assert.Equal([], Array.FindAll(KsqlScalarFunctions, name => !listed.Contains(name)));
        foreach (var name in listed)
            Assert.NotEmpty(await _db.QueryAsync($"DESCRIBE FUNCTION \"{name}\""));
        var transform = await _db.QueryAsync("DESCRIBE FUNCTION transform");
        Assert.Equal(2, transform.Count);
        Assert.Equal("LAMBDA", transform[0][3]);
    }

    [Fact]
    public async Task Functions_run_in_pull_queries_with_digit_leading_aliases()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM nums (id INT KEY, v DOUBLE, xs ARRAY<INT>) WITH (VALUE_FORMAT = 'JSON')",
            "INSERT INTO nums (id, v, xs) VALUES (1, 111, ARRAY[1, 2, 3])",
            "INSERT INTO nums (id, v, xs) VALUES (2, -1.5, ARRAY[4])");
        var rows = await _db.QueryAsync("""
            SELECT id, ROUND(v) AS r0, ROUND(v, -1) AS 1R, TRANSFORM(xs, x => x * 10) AS t,
              REDUCE(xs, 0, (s, x) => s + x) AS total, 'a' + 'b' AS ab FROM nums ORDER BY id
            """);
        Assert.Equal(2, rows.Count);
        Assert.Equal(111L, rows[0][1]);
        Assert.Equal(110.0, rows[0][2]);
        Assert.Equal(6, rows[0][4]);
        Assert.Equal("ab", rows[0][5]);
        Assert.Equal(-1L, rows[1][1]);
        Assert.Equal(4, rows[1][4]);
        var described = await _db.QueryAsync("SELECT v AS 2R FROM nums WHERE id = 1");
        Assert.Equal(111.0, Assert.Single(described)[0]);
        var constant = await _db.QueryAsync(
            "SELECT REDUCE(TRANSFORM(ARRAY[1, 2, 3], x => x * x), 0, (s, x) => s + x) AS squares");
        Assert.Equal(14, Assert.Single(constant)[0]);
    }

    [Fact]
    public async Task Count_without_arguments_counts_rows_and_lambdas_apply_to_aggregates()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM readings (id INT KEY, k STRING, v INT) WITH (VALUE_FORMAT = 'JSON')",
            "INSERT INTO readings (id, k, v) VALUES (1, 'a', 1), (2, 'a', NULL), (3, 'b', 5)");
        var rows = await _db.QueryAsync("""
            SELECT k, COUNT() AS n, TRANSFORM(COLLECT_LIST(v), x => x * 10) AS tens FROM readings
            GROUP BY k ORDER BY k
            """);
        Assert.Equal(2, rows.Count);
        Assert.Equal(["a", 2L], rows[0][..2]);
        Assert.Equal("[10]", Types.ValueText.Format(rows[0][2], new Types.ArrayType(Types.SqlType.Int)));
        Assert.Equal(["b", 1L], rows[1][..2]);
    }

    /// <summary>ksqlDB's aggregate and table functions (its UDAF sources and reference), by name.</summary>
    private static readonly string[] KsqlAggregateAndTableFunctions =
    [
        "AVG", "ATTR", "COLLECT_LIST", "COLLECT_SET", "CORRELATION", "COUNT", "COUNT_DISTINCT", "EARLIEST_BY_OFFSET",
        "HISTOGRAM", "LATEST_BY_OFFSET", "MAX", "MIN", "STDDEV_SAMP", "STDDEV_SAMPLE", "SUM", "SUM_LIST", "TOPK",
        "TOPKDISTINCT", "EXPLODE", "CUBE_EXPLODE",
    ];

    [Fact]
    public async Task Show_functions_lists_every_ksqldb_aggregate_and_table_function()
    {
        var listed = new HashSet<string>();
        foreach (var row in await _db.QueryAsync("SHOW FUNCTIONS"))
            listed.Add((string)row[0]!);
        Assert.Equal([], Array.FindAll(KsqlAggregateAndTableFunctions, name => !listed.Contains(name)));
    }

    [Fact]
    public async Task By_offset_aggregates_take_ksqldb_n_and_ignore_nulls_overloads()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM readings (id INT KEY, k STRING, v INT) WITH (VALUE_FORMAT = 'JSON', PARTITIONS = 1)",
            "INSERT INTO readings (id, k, v) VALUES (1, 'a', NULL), (2, 'a', 1), (3, 'a', 2), (4, 'a', 3), "
                + "(5, 'a', NULL)");
        var row = Assert.Single(await _db.QueryAsync("""
            SELECT LATEST_BY_OFFSET(v), LATEST_BY_OFFSET(v, false), EARLIEST_BY_OFFSET(v),
              EARLIEST_BY_OFFSET(v, false), TO_JSON_STRING(LATEST_BY_OFFSET(v, 2)),
              TO_JSON_STRING(EARLIEST_BY_OFFSET(v, 2)), TO_JSON_STRING(LATEST_BY_OFFSET(v, 2, false)),
              TO_JSON_STRING(EARLIEST_BY_OFFSET(v, 2, false)), STDDEV_SAMPLE(v)
            FROM readings GROUP BY k
            """));
        Assert.Equal([3, null, 1, null, "[2,3]", "[1,2]", "[3,null]", "[null,1]", 1.0], row);
        Assert.Equal(SqlState.InvalidParameterValue,
            (await _db.FailsAsync("SELECT LATEST_BY_OFFSET(v, 0) FROM readings GROUP BY k")).SqlState);
        Assert.Equal(SqlState.UndefinedFunction,
            (await _db.FailsAsync("SELECT LATEST_BY_OFFSET(v, 'x') FROM readings GROUP BY k")).SqlState);
    }

    [Theory]
    [InlineData("SELECT EXPLODE(xs) + 1 FROM nums", SqlState.FeatureNotSupported)]
    [InlineData("SELECT GREATEST() FROM nums", SqlState.UndefinedFunction)]
    [InlineData("SELECT TRANSFORM(xs, x => x, x => x) FROM nums", SqlState.UndefinedFunction)]
    [InlineData("SELECT ARRAY_LENGTH(x => x) FROM nums", SqlState.SyntaxError)]
    public async Task Unsupported_or_wrong_calls_answer_sql_errors(string sql, string sqlState)
    {
        await _db.ExecAsync("CREATE STREAM nums (id INT KEY, xs ARRAY<INT>) WITH (VALUE_FORMAT = 'JSON')");
        Assert.Equal(sqlState, (await _db.FailsAsync(sql)).SqlState);
    }
}
