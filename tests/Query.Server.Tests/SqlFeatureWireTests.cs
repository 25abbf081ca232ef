using Dapper;
using Npgsql;

namespace Query.Server.Tests;

/// <summary>Subqueries, WITH [RECURSIVE], set operations and PostgreSQL's expressions through real clients
/// (Npgsql, psycopg 3).</summary>
public sealed class SqlFeatureWireTests : IClassFixture<ServerFixture>
{
    private const string Python = "/usr/bin/python3";
    private readonly ServerFixture _server;

    public SqlFeatureWireTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Npgsql_sends_an_array_parameter_to_any_and_reads_subqueries_and_unions()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var users = ServerFixture.UniqueName("users");
        await conn.ExecuteAsync($"CREATE TABLE {users} (id INT PRIMARY KEY, name STRING, boss INT)");
        await conn.ExecuteAsync($"INSERT INTO {users} VALUES (1, 'ann', NULL), (2, 'bob', 1), (3, 'cid', 2)");
        await using (var command = new NpgsqlCommand($"SELECT u.name, (SELECT b.name FROM {users} b "
            + $"WHERE b.id = u.boss) FROM {users} u WHERE u.id = ANY($1) ORDER BY 1", conn))
        {
            command.Parameters.AddWithValue(new[] { 2, 3 });
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add(reader.GetString(0) + "|" + reader.GetString(1));
            Assert.Equal(["bob|ann", "cid|bob"], rows);
        }
        var chain = (await conn.QueryAsync<int>($"WITH RECURSIVE up(id, boss) AS (SELECT id, boss FROM {users} "
            + $"WHERE id = 3 UNION ALL SELECT u.id, u.boss FROM {users} u JOIN up ON u.id = up.boss) "
            + "SELECT id FROM up")).ToList();
        Assert.Equal([3, 2, 1], chain);
        var names = (await conn.QueryAsync<string>($"SELECT name FROM {users} WHERE id < 2 UNION ALL "
            + $"SELECT E'x\\ty' ORDER BY 1")).ToList();
        Assert.Equal(["ann", "x\ty"], names);
    }

    [Fact]
    public async Task A_recursion_past_its_limit_is_54001_and_the_connection_goes_on()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t"));
        Assert.Equal("54001", error.SqlState);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Psycopg3_runs_dashboard_and_catalog_sql()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "psycopg3_sql_client.py");
        var (code, output, error) = await ExternalClient.RunAsync(Python,
            [script, _server.Port.ToString(), ServerFixture.UniqueName("m")]);
        Assert.True(code == 0, output + error);
        Assert.Contains("ok", output, StringComparison.Ordinal);
    }
}
