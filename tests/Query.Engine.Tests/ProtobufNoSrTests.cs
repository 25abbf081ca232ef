using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>VALUE_FORMAT 'PROTOBUF_NOSR': ksqlDB's protobuf value without schema registry framing.</summary>
public sealed class ProtobufNoSrTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { PersistentCommitIntervalMs = 20 });

    public Task InitializeAsync() => _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_value_is_the_protobuf_message_of_its_columns_numbered_from_one()
    {
        await _db.ExecAllAsync("CREATE STREAM p (k STRING KEY, a BIGINT, b STRING, c INT, d DOUBLE, e BOOLEAN) WITH ("
            + "KAFKA_TOPIC = 'p', VALUE_FORMAT = 'PROTOBUF_NOSR')",
            "INSERT INTO p VALUES ('0', 123, 'falcon', -1, 0.5, TRUE)");
        var value = _db.Engine.ReadRecords("p")[0].Value!;
        // 1: varint 123; 2: "falcon"; 3: int32 -1 as ten bytes; 4: fixed64 0.5; 5: true.
        Assert.Equal(Convert.FromHexString("087B1206" + "66616C636F6E" + "18FFFFFFFFFFFFFFFFFF01"
            + "21000000000000E03F" + "2801"), value);
        Assert.Equal([["0", 123L, "falcon", -1, 0.5, true]], await _db.QueryAsync("SELECT * FROM p"));
    }

    [Fact]
    public async Task Every_type_round_trips_and_nulls_read_back_as_proto3_defaults()
    {
        await _db.ExecAllAsync("CREATE STREAM p (k INT KEY, dec DECIMAL(12, 3), ts TIMESTAMP, dt DATE, tm TIME, "
            + "arr ARRAY<INT>, names ARRAY<STRING>, m MAP<STRING, DOUBLE>, st STRUCT<x INT, y STRUCT<z STRING>>, "
            + "bin BYTES, s STRING, n BIGINT) WITH (KAFKA_TOPIC = 'p', VALUE_FORMAT = 'PROTOBUF_NOSR')",
            "INSERT INTO p VALUES (1, -123456789.125, TIMESTAMP '1969-12-31 23:59:59.250', DATE '2003-12-24', "
                + "TIME '13:14:15.016', ARRAY[1, -2, 300], ARRAY['a', 'b'], MAP('k' := 1.5), "
                + "STRUCT(x := 7, y := STRUCT(z := 'deep')), TO_BYTES('AQI=', 'base64'), 'text', 9)",
            "INSERT INTO p (k) VALUES (2)");
        var rows = await _db.QueryAsync("SELECT k, CAST(dec AS STRING), CAST(ts AS STRING), CAST(dt AS STRING), "
            + "CAST(tm AS STRING), ARRAY_JOIN(arr, ','), ARRAY_JOIN(names, ','), m['k'], st->x, st->y->z, "
            + "FROM_BYTES(bin, 'base64'), s, n FROM p ORDER BY k");
        Assert.Equal([1, "-123456789.125", "1969-12-31 23:59:59.25", "2003-12-24", "13:14:15.016", "1,-2,300", "a,b",
            1.5, 7, "deep", "AQI=", "text", 9L], rows[0]);
        // proto3 holds no NULL scalar: what was NULL reads as its default (an empty array); an absent message is NULL.
        Assert.Equal([2, null, null, null, null, "", "", null, null, null, "", "", 0L], rows[1]);
    }

    [Fact]
    public async Task A_persistent_query_converts_json_to_protobuf_and_back()
    {
        await _db.ExecAllAsync("CREATE STREAM src (k STRING KEY, a BIGINT, b STRING) WITH (FORMAT = 'JSON')",
            "INSERT INTO src VALUES ('0', 123, 'falcon'), ('1', 456, NULL)",
            "CREATE STREAM pb WITH (VALUE_FORMAT = 'PROTOBUF_NOSR') AS SELECT * FROM src",
            "CREATE STREAM back WITH (VALUE_FORMAT = 'JSON') AS SELECT * FROM pb");
        await _db.Engine.WaitForPersistentQueriesAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([["0", 123L, "falcon"], ["1", 456L, ""]], await _db.QueryAsync("SELECT * FROM back ORDER BY k"));
        Assert.Contains(await _db.QueryAsync("SHOW STREAMS"), r => r.Contains("PROTOBUF_NOSR"));
    }

    [Fact]
    public async Task A_message_that_does_not_decode_is_skipped()
    {
        await _db.ExecAsync("CREATE STREAM p (k STRING KEY, a BIGINT) WITH (KAFKA_TOPIC = 'p', "
            + "VALUE_FORMAT = 'PROTOBUF_NOSR')");
        await _db.Engine.ProduceAsync("p", 0, 1, "x"u8.ToArray(), [0x08]);
        await _db.Engine.ProduceAsync("p", 0, 2, "y"u8.ToArray(), [0x08, 0x05]);
        Assert.Equal([["y", 5L]], await _db.QueryAsync("SELECT * FROM p"));
    }

    [Fact]
    public async Task Protobuf_keys_and_registry_formats_are_refused_clearly()
    {
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync(
            "CREATE STREAM p (k STRING KEY, a INT) WITH (FORMAT = 'PROTOBUF_NOSR')")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync(
            "CREATE STREAM p (k STRING KEY, a INT) WITH (VALUE_FORMAT = 'PROTOBUF')")).SqlState);
    }
}
