using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Query.Server.Tests;

/// <summary>Tables through the wire: Npgsql upserts, COPY, DELETE, pull by key, and psql.</summary>
public sealed class TableWireTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public TableWireTests(ServerFixture server) => _server = server;

    private static async Task<string> CreateAsync(NpgsqlConnection conn)
    {
        var name = ServerFixture.UniqueName("tbl");
        await conn.ExecuteAsync($"CREATE TABLE {name} (id BIGINT PRIMARY KEY, label STRING) WITH (PARTITIONS = 2)");
        return name;
    }

    [Fact]
    public async Task Parameterized_upserts_deletes_and_key_lookups_through_npgsql()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        for (var i = 0; i < 3; i++)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO {name} (id, label) VALUES ($1, $2)", conn);
            insert.Parameters.AddWithValue(1L);
            insert.Parameters.AddWithValue($"v{i}");
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }
        await conn.ExecuteAsync($"INSERT INTO {name} (id, label) VALUES (2, 'two')");
        await using (var select = new NpgsqlCommand($"SELECT label FROM {name} WHERE id = $1", conn))
        {
            select.Parameters.AddWithValue(1L);
            Assert.Equal("v2", await select.ExecuteScalarAsync());
        }
        await using (var delete = new NpgsqlCommand($"DELETE FROM {name} WHERE id = $1", conn))
        {
            delete.Parameters.AddWithValue(1L);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
            Assert.Equal(0, await delete.ExecuteNonQueryAsync());
        }
        Assert.Equal(["two"], (await conn.QueryAsync<string>($"SELECT label FROM {name}")).ToList());
    }

    [Fact]
    public async Task Binary_copy_into_a_table_keeps_the_last_row_per_key()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        await using (var importer = await conn.BeginBinaryImportAsync(
            $"COPY {name} (id, label) FROM STDIN (FORMAT binary)"))
        {
            for (var i = 0; i < 1000; i++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync((long)(i % 100), NpgsqlDbType.Bigint);
                await importer.WriteAsync($"round {i / 100}", NpgsqlDbType.Text);
            }
            await importer.CompleteAsync();
        }
        Assert.Equal(100L, await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {name}"));
        Assert.Equal("round 9", await conn.ExecuteScalarAsync<string>($"SELECT label FROM {name} WHERE id = 42"));
    }

    [Fact]
    public async Task Errors_carry_their_sqlstates()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        var other = await Assert.ThrowsAsync<PostgresException>(() =>
            conn.ExecuteAsync($"DELETE FROM {name} WHERE label = 'x'"));
        Assert.Equal("0A000", other.SqlState);
        var nullKey = await Assert.ThrowsAsync<PostgresException>(() =>
            conn.ExecuteAsync($"INSERT INTO {name} (label) VALUES ('x')"));
        Assert.Equal("23502", nullKey.SqlState);
        var noKey = await Assert.ThrowsAsync<PostgresException>(() =>
            conn.ExecuteAsync("CREATE TABLE nokey_table (id INT, v INT)"));
        Assert.Equal("42601", noKey.SqlState);
    }

    [Fact]
    public async Task Psql_creates_fills_lists_and_deletes_from_a_table()
    {
        var name = ServerFixture.UniqueName("ptbl");
        var arguments = new List<string>
        {
            "-h", "127.0.0.1", "-p", _server.Port.ToString(), "-U", "query", "-d", "query",
            "-X", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c",
            $"CREATE TABLE {name} (id INT PRIMARY KEY, v STRING); INSERT INTO {name} VALUES (1, 'a'), (2, 'b'), "
                + $"(1, 'c'); DELETE FROM {name} WHERE id = 2; SELECT id, v FROM {name}; SHOW TABLES;",
        };
        var (code, output, error) = await ExternalClient.RunAsync("psql", arguments, null);
        Assert.True(code == 0, error);
        Assert.Contains("1|c", output, StringComparison.Ordinal);
        Assert.DoesNotContain("2|b", output, StringComparison.Ordinal);
        Assert.Contains(name.ToLowerInvariant(), output, StringComparison.Ordinal);
    }
}
