using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>Regression tests for four answers that used to be silently wrong (issue 13).</summary>
public sealed class CompatibilityFixesTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("BINARY")]
    [InlineData("JSON")]
    public async Task Arrays_of_struct_and_map_round_trip_at_every_depth(string format)
    {
        await _db.ExecAsync("CREATE STREAM n (a ARRAY<STRUCT<x INT, m ARRAY<MAP<STRING, STRUCT<y DOUBLE>>>>>) "
            + $"WITH (VALUE_FORMAT = '{format}')");
        await _db.ExecAsync("INSERT INTO n VALUES (ARRAY[STRUCT(x := 1, m := ARRAY[MAP('k' := STRUCT(y := 2.5))]), "
            + "NULL])");
        await using var result = await _db.Session.ExecuteAsync("SELECT a, a[1]->m FROM n");
        Assert.True(await result.Rows!.ReadAsync());
        Assert.Equal("[{\"x\":1,\"m\":[{\"k\":{\"y\":2.5}}]},null]", result.Rows.GetText(0));
        Assert.Equal("[{\"k\":{\"y\":2.5}}]", result.Rows.GetText(1));
        var value = (SqlArray)result.Rows.GetValue(0)!;
        Assert.Equal(1, ((SqlStruct)value.Items[0]!).Fields[0]);
        Assert.Null(value.Items[1]);
    }

    [Fact]
    public async Task Array_text_in_postgres_form_parses_back_including_struct_elements()
    {
        await _db.ExecAsync("CREATE STREAM n (a ARRAY<STRUCT<x INT>>, t ARRAY<STRING>)");
        await using (var bulk = _db.Session.BeginBulkInsert("N", ["A", "T"]))
        {
            bulk.AddTextRow(["{\"{\\\"X\\\":1}\",NULL}", "{a,\"b c\",NULL,\"NULL\"}"]);
            await bulk.CommitAsync();
        }
        var rows = await _db.QueryAsync("SELECT CAST(a AS STRING), CAST(t AS STRING) FROM n");
        Assert.Equal(["[{\"x\":1},null]", "[\"a\",\"b c\",null,\"NULL\"]"], rows[0]);
    }

    [Fact]
    public async Task An_integer_column_compares_with_a_decimal_literal_of_fewer_digits()
    {
        // The INT column used to be cast into the literal's DECIMAL(2, 1): 22003 "numeric field overflow".
        await _db.ExecAsync("CREATE STREAM q (qty INT, big BIGINT)");
        await _db.ExecAsync("INSERT INTO q VALUES (1, 9000000000), (3, 1), (2000000000, 2)");
        Assert.Equal([[3], [2000000000]], await _db.QueryAsync("SELECT qty FROM q WHERE qty > 2.5 ORDER BY qty"));
        Assert.Equal([[9000000000L]], await _db.QueryAsync("SELECT big FROM q WHERE big >= 8999999999.5"));
        Assert.Equal([[1]], await _db.QueryAsync("SELECT qty FROM q WHERE qty BETWEEN 0.5 AND 1.5"));
    }

    [Fact]
    public async Task Insert_without_a_column_list_takes_the_key_first_as_ksqldb()
    {
        await _db.ExecAsync("CREATE STREAM test (id INT, name STRING KEY)");
        await _db.ExecAsync("INSERT INTO test VALUES ('key', 10)");
        var rows = await _db.QueryAsync("SELECT name, id FROM test");
        Assert.Equal(["key", 10], rows[0]);
    }

    [Fact]
    public async Task Drop_delete_topic_is_refused_while_another_stream_uses_the_log()
    {
        await _db.ExecAllAsync("CREATE STREAM a (x INT) WITH (KAFKA_TOPIC = 'shared')",
            "CREATE STREAM b (x INT) WITH (KAFKA_TOPIC = 'shared')", "INSERT INTO b VALUES (1)");
        var error = await _db.FailsAsync("DROP STREAM a DELETE TOPIC");
        Assert.Equal(SqlState.DependentObjectsStillExist, error.SqlState);
        Assert.Single(await _db.QueryAsync("SELECT * FROM a"));
        await _db.ExecAsync("DROP STREAM a");
        Assert.Single(await _db.QueryAsync("SELECT * FROM b"));
        await _db.ExecAsync("INSERT INTO b VALUES (2)");
        await _db.ExecAsync("DROP STREAM b DELETE TOPIC");
        Assert.Equal(SqlState.UndefinedTable, (await _db.FailsAsync("SELECT * FROM b")).SqlState);
    }

    [Fact]
    public async Task Struct_map_and_array_literals_coerce_into_the_declared_field_types()
    {
        await _db.ExecAsync("CREATE STREAM g (geo STRUCT<city STRING, lat DOUBLE>, m MAP<STRING, BIGINT>, "
            + "a ARRAY<STRUCT<n DECIMAL(4, 2), s STRING>>)");
        await _db.ExecAsync("INSERT INTO g VALUES (STRUCT(city := 'Oslo', lat := 59.9), MAP('k' := 1), "
            + "ARRAY[STRUCT(n := 1)])");
        var rows = await _db.QueryAsync("SELECT geo->lat, geo->city, m['k'], a[1]->n, a[1]->s FROM g");
        Assert.Equal([59.9, "Oslo", 1L, 1.00m, null], rows[0]);
    }

    [Fact]
    public async Task A_struct_field_the_target_lacks_is_a_type_error()
    {
        await _db.ExecAsync("CREATE STREAM g (geo STRUCT<city STRING>)");
        var error = await _db.FailsAsync("INSERT INTO g VALUES (STRUCT(town := 'Oslo'))");
        Assert.Equal(SqlState.DatatypeMismatch, error.SqlState);
    }
}
