using Dapper;
using Npgsql;

namespace Query.Server.Tests;

/// <summary>Tables of several key columns through the wire: Npgsql parameters for the full key, DELETE counts,
/// GROUP BY of several expressions, the composite primary key in information_schema, and SQLSTATEs.</summary>
public sealed class MultiKeyWireTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public MultiKeyWireTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task A_composite_key_table_upserts_looks_up_and_deletes_by_parameters()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("mk");
        await conn.ExecuteAsync($"CREATE TABLE {name} (region STRING PRIMARY KEY, id BIGINT PRIMARY KEY, "
            + "label STRING) WITH (PARTITIONS = 2, KEY_FORMAT = 'JSON')");
        var rows = new[] { ("eu", 1L, "a"), ("eu", 2L, "b"), ("us", 1L, "c"), ("eu", 1L, "d") };
        foreach (var (region, id, label) in rows)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO {name} VALUES ($1, $2, $3)", conn);
            insert.Parameters.AddWithValue(region);
            insert.Parameters.AddWithValue(id);
            insert.Parameters.AddWithValue(label);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }
        await using (var select = new NpgsqlCommand($"SELECT label FROM {name} WHERE region = $1 AND id = $2", conn))
        {
            select.Parameters.AddWithValue("eu");
            select.Parameters.AddWithValue(1L);
            Assert.Equal("d", await select.ExecuteScalarAsync());
        }
        await using (var delete = new NpgsqlCommand($"DELETE FROM {name} WHERE id = $1 AND region = $2", conn))
        {
            delete.Parameters.AddWithValue(1L);
            delete.Parameters.AddWithValue("us");
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
            Assert.Equal(0, await delete.ExecuteNonQueryAsync());
        }
        Assert.Equal(["b", "d"], (await conn.QueryAsync<string>($"SELECT label FROM {name} ORDER BY label")).ToList());
        Assert.Equal(["region", "id"], (await conn.QueryAsync<string>("SELECT column_name FROM "
            + "information_schema.key_column_usage WHERE table_name = @t ORDER BY ordinal_position",
            new { t = name })).ToList());
        var error = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            $"DELETE FROM {name} WHERE region = 'eu'"));
        Assert.Equal("0A000", error.SqlState);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Group_by_several_expressions_over_the_wire_and_the_kafka_key_error()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("mks");
        await conn.ExecuteAsync($"CREATE STREAM {name} (a INT KEY, b STRING, v INT) WITH (VALUE_FORMAT = 'JSON')");
        await conn.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'x', 1), (1, 'x', 2), (2, 'x', 3), (1, 'y', 4)");
        var rows = (await conn.QueryAsync<(int A, string B, long N)>(
            $"SELECT a, b, COUNT(*) FROM {name} GROUP BY a, b ORDER BY a, b")).ToList();
        Assert.Equal([(1, "x", 2L), (1, "y", 1L), (2, "x", 1L)], rows);
        var error = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(
            $"CREATE TABLE {name}_agg AS SELECT a, b, COUNT(*) FROM {name} GROUP BY a, b EMIT CHANGES"));
        Assert.Equal("42P16", error.SqlState);
        Assert.Contains("KAFKA key format holds one column", error.MessageText, StringComparison.Ordinal);
    }
}
