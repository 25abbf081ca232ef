using Dapper;
using Npgsql;
using Query.Testing;

namespace Query.Server.Tests;

/// <summary>Persistent aggregates over tables through the wire (Npgsql): retraction of updated and deleted rows.
/// </summary>
public sealed class TableAggregateWireTests : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Timeout = ClientTimeouts.Deadline;
    private readonly ServerFixture _server;

    public TableAggregateWireTests(ServerFixture server) => _server = server;

    /// <summary>Polls <paramref name="sql"/> (one row of text cells joined by '|') until it gives
    /// <paramref name="expected"/>.</summary>
    private static async Task<string> WaitForAsync(NpgsqlConnection conn, string sql, string expected)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var rows = (await conn.QueryAsync(sql)).Select(r =>
                string.Join("|", ((IDictionary<string, object?>)r).Values.Select(v => v?.ToString() ?? "null")));
            var actual = string.Join(";", rows.Order(StringComparer.Ordinal));
            if (actual == expected || DateTime.UtcNow > deadline)
                return actual;
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_table_aggregate_follows_updates_and_deletes_of_its_source()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var users = ServerFixture.UniqueName("users");
        var byRegion = ServerFixture.UniqueName("by_region");
        await conn.ExecuteAsync($"CREATE TABLE {users} (id INT PRIMARY KEY, region STRING, score INT) "
            + "WITH (PARTITIONS = 2)");
        await conn.ExecuteAsync("SET 'auto.offset.reset' = 'earliest'");
        await conn.ExecuteAsync($"INSERT INTO {users} VALUES (1, 'eu', 10), (2, 'eu', 20), (3, 'us', 5)");
        await conn.ExecuteAsync($"CREATE TABLE {byRegion} AS SELECT region, COUNT(*) AS n, SUM(score) AS total "
            + $"FROM {users} GROUP BY region EMIT CHANGES");
        var sql = $"SELECT region, n, total FROM {byRegion}";
        Assert.Equal("eu|2|30;us|1|5", await WaitForAsync(conn, sql, "eu|2|30;us|1|5"));
        await using (var update = new NpgsqlCommand($"INSERT INTO {users} VALUES ($1, $2, $3)", conn))
        {
            update.Parameters.AddWithValue(2);
            update.Parameters.AddWithValue("us");
            update.Parameters.AddWithValue(7);
            await update.ExecuteNonQueryAsync();
        }
        await conn.ExecuteAsync($"DELETE FROM {users} WHERE id = 3");
        Assert.Equal("eu|1|10;us|1|7", await WaitForAsync(conn, sql, "eu|1|10;us|1|7"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            $"CREATE TABLE {byRegion}_max AS SELECT region, MAX(score) AS hi FROM {users} GROUP BY region"));
        Assert.Equal("42809", refused.SqlState);   // MAX is a stream-only aggregate in ksqlDB
        await conn.ExecuteAsync("TERMINATE ALL");
    }

    [Fact]
    public async Task Having_deletes_a_group_and_a_push_query_streams_the_delete()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var events = ServerFixture.UniqueName("events");
        var pairs = ServerFixture.UniqueName("pairs");
        await conn.ExecuteAsync($"CREATE STREAM {events} (k INT KEY, g STRING) WITH (PARTITIONS = 2)");
        await conn.ExecuteAsync("SET 'auto.offset.reset' = 'earliest'");
        await conn.ExecuteAsync($"CREATE TABLE {pairs} AS SELECT g, COUNT(*) AS n FROM {events} GROUP BY g "
            + "HAVING COUNT(*) = 2 EMIT CHANGES");
        await conn.ExecuteAsync($"INSERT INTO {events} VALUES (1, 'bob'), (1, 'bob'), (2, 'ann')");
        var sql = $"SELECT g, n FROM {pairs}";
        Assert.Equal("bob|2", await WaitForAsync(conn, sql, "bob|2"));
        await conn.ExecuteAsync($"INSERT INTO {events} VALUES (1, 'bob')");
        Assert.Equal("", await WaitForAsync(conn, sql, ""));
        // The table's changelog as a push query: bob's row, then its delete (the key with NULL values).
        var rows = (await conn.QueryAsync($"SELECT g, n FROM {pairs} EMIT CHANGES LIMIT 2")).Select(r =>
            string.Join("|", ((IDictionary<string, object?>)r).Values.Select(v => v?.ToString() ?? "null")));
        Assert.Equal(["bob|2", "bob|null"], rows);
        await conn.ExecuteAsync("TERMINATE ALL");
    }
}
