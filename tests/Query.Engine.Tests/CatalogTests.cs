using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Tests;

public sealed class CatalogTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Create_stream_with_every_type_is_listed_and_described()
    {
        var tag = await _db.ExecAsync("""
            CREATE STREAM everything (id BIGINT KEY, b BOOLEAN, i INT, l BIGINT, d DOUBLE, m DECIMAL(10, 2),
              s STRING, y BYTES, t TIMESTAMP, dt DATE, tm TIME, a ARRAY<INT>, mp MAP<STRING, DOUBLE>,
              st STRUCT<x INT, name STRING>) WITH (PARTITIONS = 3, VALUE_FORMAT = 'JSON')
            """);
        Assert.Equal("CREATE STREAM", tag);
        var streams = await _db.QueryAsync("SHOW STREAMS");
        Assert.Equal(["everything", "everything", "KAFKA", "JSON", 3], Assert.Single(streams));
        var columns = await _db.QueryAsync("DESCRIBE everything");
        Assert.Equal(14, columns.Count);
        Assert.Equal(["id", "BIGINT", "KEY"], columns[0]);
        Assert.Equal(["m", "DECIMAL(10, 2)", null], columns[5]);
        Assert.Equal(["st", "STRUCT<`x` INTEGER, `name` STRING>", null], columns[13]);
    }

    [Fact]
    public async Task Catalog_and_data_survive_a_restart()
    {
        await _db.ExecAllAsync(
            "CREATE STREAM orders (id INT KEY, amount DECIMAL(8, 2), note STRING) WITH (PARTITIONS = 2)",
            "INSERT INTO orders VALUES (1, 10.50, 'a'), (2, 20.25, 'b'), (3, 1, NULL)");
        await _db.RestartAsync();
        var rows = await _db.QueryAsync("SELECT id, amount, note FROM orders ORDER BY id");
        Assert.Equal(3, rows.Count);
        Assert.Equal([1, 10.50m, "a"], rows[0]);
        Assert.Equal("1.00", ((decimal)rows[2][1]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(rows[2][2]);
        Assert.Equal("INSERT 0 1", await _db.ExecAsync("INSERT INTO orders VALUES (4, 2, 'c')"));
        Assert.Equal(4L, (await _db.QueryAsync("SELECT COUNT(*) FROM orders"))[0][0]);
    }

    [Fact]
    public async Task Duplicate_and_unknown_names_raise_their_sqlstates()
    {
        await _db.ExecAsync("CREATE STREAM s (x INT)");
        Assert.Equal(SqlState.DuplicateTable, (await _db.FailsAsync("CREATE STREAM s (x INT)")).SqlState);
        Assert.Equal("CREATE STREAM", await _db.ExecAsync("CREATE STREAM IF NOT EXISTS s (x INT)"));
        Assert.Equal(SqlState.UndefinedTable, (await _db.FailsAsync("SELECT * FROM nope")).SqlState);
        Assert.Equal(SqlState.UndefinedColumn, (await _db.FailsAsync("SELECT y FROM s")).SqlState);
        Assert.Equal(SqlState.DuplicateColumn, (await _db.FailsAsync("CREATE STREAM t (a INT, a INT)")).SqlState);
        Assert.Equal("42939", (await _db.FailsAsync("CREATE STREAM t (rowtime BIGINT)")).SqlState);
    }

    [Fact]
    public async Task Unknown_with_property_is_an_error_naming_it()
    {
        var error = await _db.FailsAsync("CREATE STREAM s (x INT) WITH (PARTITIONS = 1, COLOUR = 'blue')");
        Assert.Equal(SqlState.InvalidParameterValue, error.SqlState);
        Assert.Contains("COLOUR", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Position);
        await _db.FailsAsync("CREATE STREAM s (x INT) WITH (VALUE_FORMAT = 'AVRO')");
        Assert.Empty(await _db.QueryAsync("SHOW STREAMS"));
    }

    [Fact]
    public async Task Drop_stream_removes_it_and_delete_topic_removes_the_log()
    {
        await _db.ExecAllAsync("CREATE STREAM a (x INT)", "CREATE STREAM b (x INT)", "INSERT INTO a VALUES (1)");
        Assert.Equal("DROP STREAM", await _db.ExecAsync("DROP STREAM a"));
        Assert.Equal("DROP STREAM", await _db.ExecAsync("DROP STREAM IF EXISTS a"));
        Assert.Equal(SqlState.UndefinedTable, (await _db.FailsAsync("DROP STREAM a")).SqlState);
        // Without DELETE TOPIC the log stays: re-creating the stream reattaches its data, as ksqlDB does.
        await _db.ExecAsync("CREATE STREAM a (x INT)");
        Assert.Single(await _db.QueryAsync("SELECT * FROM a"));
        await _db.ExecAsync("DROP STREAM b DELETE TOPIC");
        var topics = await _db.QueryAsync("SHOW TOPICS");
        Assert.DoesNotContain(topics, t => (string)t[0]! == "b");
        await _db.RestartAsync();
        Assert.Equal(["a"], (await _db.QueryAsync("SHOW STREAMS")).Select(r => r[0]));
    }

    [Fact]
    public async Task Alter_stream_add_column_reads_old_rows_as_null()
    {
        await _db.ExecAllAsync("CREATE STREAM s (x INT)", "INSERT INTO s VALUES (1)",
            "ALTER STREAM s ADD COLUMN y STRING", "INSERT INTO s VALUES (2, 'two')");
        await _db.RestartAsync();
        var rows = await _db.QueryAsync("SELECT x, y FROM s ORDER BY x");
        Assert.Equal([1, null], rows[0]);
        Assert.Equal([2, "two"], rows[1]);
    }

    [Fact]
    public async Task Describe_extended_reports_partitions_rows_and_ranges()
    {
        await _db.ExecAllAsync("CREATE STREAM s (k STRING KEY, v INT) WITH (PARTITIONS = 2)",
            "INSERT INTO s VALUES ('a', 1), ('b', 2), ('c', 3)");
        var rows = await _db.QueryAsync("DESCRIBE EXTENDED s");
        Assert.Contains(rows, r => (string)r[1]! == "STREAM" && ((string)r[2]!).Contains("rows 3",
            StringComparison.Ordinal));
        Assert.Equal(2, rows.Count(r => (string)r[1]! == "PARTITION"));
    }

    [Fact]
    public async Task Engine_lists_streams_with_columns_for_client_metadata()
    {
        await _db.ExecAsync("CREATE STREAM s (k STRING KEY, v DOUBLE)");
        var stream = Assert.Single(_db.Engine.ListStreams());
        Assert.Equal("s", stream.Name);
        Assert.Equal(SqlType.Double, stream.Columns[1].Type);
        Assert.Equal(0, stream.KeyColumn);
    }

    [Fact]
    public async Task Show_functions_and_describe_function_list_what_exists()
    {
        var functions = await _db.QueryAsync("SHOW FUNCTIONS");
        Assert.Contains(functions, f => (string)f[0]! == "SUBSTRING");
        Assert.Contains(functions, f => (string)f[0]! == "LATEST_BY_OFFSET" && (string)f[1]! == "AGGREGATE");
        var substring = await _db.QueryAsync("DESCRIBE FUNCTION substring");
        Assert.Equal(4, substring.Count);
        Assert.Equal(SqlState.UndefinedFunction, (await _db.FailsAsync("DESCRIBE FUNCTION nope")).SqlState);
    }

    [Fact]
    public async Task Unsupported_statements_raise_feature_not_supported()
    {
        await _db.ExecAsync("CREATE STREAM s (x INT)");
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("SELECT row_number() OVER (ORDER BY x) FROM s EMIT CHANGES")).SqlState);
        // A WINDOW in a pull query is ksqlDB's error (42P20 windowing error), not a missing feature.
        var window = await _db.FailsAsync("SELECT x, COUNT(*) FROM s WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY x");
        Assert.Equal(SqlState.WindowingError, window.SqlState);
        Assert.Contains("WINDOW", window.Message, StringComparison.Ordinal);
    }
}
