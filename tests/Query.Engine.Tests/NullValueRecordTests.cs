using System.Text;

namespace Query.Engine.Tests;

/// <summary>
/// A stream record whose value is null (Kafka's tombstone, from another producer) in a persistent stream query, as
/// ksqlDB treats it: a projection passes it on as a null value with its key, PARTITION BY gives it no key, a WHERE
/// drops it; pull queries and aggregates still skip it.
/// </summary>
public sealed class NullValueRecordTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM src (id INT KEY, name STRING) WITH (KAFKA_TOPIC = 'src', FORMAT = 'JSON')",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task ProduceAsync(int key, string? json) =>
        await _db.Engine.ProduceAsync("src", 0, 10, Encoding.UTF8.GetBytes(key.ToString(
            System.Globalization.CultureInfo.InvariantCulture)), json is null ? null : Encoding.UTF8.GetBytes(json));

    private async Task<List<string>> SinkAsync(string log)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!_db.Engine.Queries.List().All(q => q.CaughtUp) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.All(_db.Engine.Queries.List(), q => Assert.Null(q.Error));
        return [.. _db.Engine.ReadRecords(log).Select(r => (r.Key is { } key ? Encoding.UTF8.GetString(key) : "-") + "|"
            + (r.ValueIsNull ? "null" : Encoding.UTF8.GetString(r.Value)))];
    }

    [Fact]
    public async Task A_projection_passes_a_null_value_on_with_its_key()
    {
        await ProduceAsync(1, null);
        await ProduceAsync(2, "{\"NAME\": \"b\"}");
        await _db.ExecAsync("CREATE STREAM out AS SELECT id, UCASE(name) AS n, COALESCE(name, 'x') AS c FROM src");
        Assert.Equal(["1|null", "2|{\"n\":\"B\",\"c\":\"b\"}"], await SinkAsync("out"));
    }

    [Fact]
    public async Task Partition_by_gives_a_null_value_no_key_and_where_drops_it()
    {
        await ProduceAsync(1, null);
        await ProduceAsync(2, "{\"NAME\": null}");
        await _db.ExecAllAsync("CREATE STREAM p AS SELECT * FROM src PARTITION BY name IS NULL",
            "CREATE STREAM f AS SELECT * FROM src WHERE name IS NULL");
        Assert.Equal(["-|null", "true|{\"id\":2,\"name\":null}"], await SinkAsync("p"));
        Assert.Equal(["2|{\"name\":null}"], await SinkAsync("f"));
    }

    [Fact]
    public async Task Pull_queries_and_aggregates_skip_a_null_value()
    {
        await ProduceAsync(1, null);
        await ProduceAsync(1, "{\"NAME\": \"a\"}");
        Assert.Equal([[1, "a"]], await _db.QueryAsync("SELECT id, name FROM src"));
        await _db.ExecAsync("CREATE TABLE c WITH (KEY_FORMAT = 'JSON') AS SELECT id, COUNT(*) AS n FROM src GROUP BY id");
        Assert.Equal(["1|{\"n\":1}"], await SinkAsync("c"));
    }
}
