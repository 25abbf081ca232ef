using Dapper;
using Npgsql;

namespace Query.Server.Tests;

/// <summary>Joins through the wire: a parameterized join through Npgsql, a 53200 that keeps the connection.
/// </summary>
public sealed class JoinWireTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public JoinWireTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_parameterized_join_answers_through_npgsql()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var users = ServerFixture.UniqueName("users");
        var orders = ServerFixture.UniqueName("orders");
        await conn.ExecuteAsync($"CREATE TABLE {users} (id BIGINT PRIMARY KEY, name STRING) WITH (PARTITIONS = 2)");
        await conn.ExecuteAsync($"CREATE STREAM {orders} (id BIGINT KEY, user_id BIGINT, amount DOUBLE) "
            + "WITH (PARTITIONS = 2)");
        await conn.ExecuteAsync($"INSERT INTO {users} VALUES (1, 'ann'), (2, 'bob')");
        await conn.ExecuteAsync($"INSERT INTO {orders} VALUES (10, 1, 2.5), (11, 1, 4.0), (12, 3, 1.0)");
        await using var command = new NpgsqlCommand($"SELECT u.name, COUNT(*) AS n, SUM(o.amount) AS total "
            + $"FROM {orders} o LEFT JOIN {users} u ON o.user_id = u.id WHERE o.amount > $1 "
            + "GROUP BY u.name ORDER BY 2 DESC", conn);
        command.Parameters.AddWithValue(0.5);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var name = reader.IsDBNull(0) ? "null" : reader.GetString(0);
            rows.Add($"{name}|{reader.GetInt64(1)}|{reader.GetDouble(2)}");
        }
        Assert.Equal(["ann|2|6.5", "null|1|1"], rows);
    }

    [Fact]
    public async Task A_join_without_an_on_is_a_syntax_error_and_the_connection_goes_on()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("s");
        await conn.ExecuteAsync($"CREATE STREAM {name} (k INT KEY, v INT)");
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            conn.ExecuteAsync($"SELECT * FROM {name} a JOIN {name} b"));
        Assert.Equal("42601", error.SqlState);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
    }
}
