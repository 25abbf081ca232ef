using Npgsql;

namespace Query.Server.Tests;

/// <summary>
/// The adapter caches prepared statements by SQL text; repeating the same text after DDL (from this connection or
/// another) must see the new shape or the right error, never a stale description.
/// </summary>
public sealed class PreparedCacheTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public PreparedCacheTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Same_text_after_add_column_and_drop_sees_the_new_shape_then_42P01()
    {
        await using var conn = await _server.OpenConnectionAsync();
        await using var other = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("cache");
        await Run(conn, $"CREATE STREAM {name} (x INT)");
        await Run(conn, $"INSERT INTO {name} (x) VALUES (1)");
        string select = $"SELECT * FROM {name}";
        Assert.Equal(["X"], await ColumnsAsync(conn, select));
        Assert.Equal(["X"], await ColumnsAsync(conn, select));

        await Run(conn, $"ALTER STREAM {name} ADD COLUMN y STRING");
        Assert.Equal(["X", "Y"], await ColumnsAsync(conn, select));

        await Run(other, $"ALTER STREAM {name} ADD COLUMN z INT");
        Assert.Equal(["X", "Y", "Z"], await ColumnsAsync(conn, select));

        await Run(other, $"DROP STREAM {name}");
        var ex = await Assert.ThrowsAsync<PostgresException>(() => ColumnsAsync(conn, select));
        Assert.Equal("42P01", ex.SqlState);
        Assert.Equal(1, await ScalarAsync(conn, "SELECT 1"));
    }

    [Fact]
    public async Task Same_text_after_recreate_with_other_columns_sees_them()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("recreate");
        await Run(conn, $"CREATE STREAM {name} (a INT)");
        string select = $"SELECT * FROM {name}";
        Assert.Equal(["A"], await ColumnsAsync(conn, select));
        await Run(conn, $"DROP STREAM {name}");
        await Run(conn, $"CREATE STREAM {name} (b STRING, c BIGINT)");
        Assert.Equal(["B", "C"], await ColumnsAsync(conn, select));
    }

    private static async Task Run(NpgsqlConnection conn, string sql)
    {
        await using var command = new NpgsqlCommand(sql, conn);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var command = new NpgsqlCommand(sql, conn);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    private static async Task<List<string>> ColumnsAsync(NpgsqlConnection conn, string sql)
    {
        await using var command = new NpgsqlCommand(sql, conn);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        for (int i = 0; i < reader.FieldCount; i++)
            names.Add(reader.GetName(i).ToUpperInvariant());
        while (await reader.ReadAsync())
        {
            // Drain: every row must decode with the announced shape.
            for (int i = 0; i < reader.FieldCount; i++)
                _ = reader.GetValue(i);
        }
        return names;
    }
}
