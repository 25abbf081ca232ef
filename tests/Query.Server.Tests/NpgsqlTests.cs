using Dapper;
using Npgsql;

namespace Query.Server.Tests;

/// <summary>The server driven through Npgsql and Dapper with a plain connection string.</summary>
public sealed class NpgsqlTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public NpgsqlTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Create_insert_and_select_round_trip_through_Dapper()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("orders");
        await conn.ExecuteAsync($"CREATE STREAM {name} (id BIGINT KEY, item STRING, qty INT) WITH (PARTITIONS = 2)");
        var inserted = await conn.ExecuteAsync($"INSERT INTO {name} (id, item, qty) VALUES (1, 'apple', 3), (2, 'pear', 5)");
        Assert.Equal(2, inserted);

        var rows = (await conn.QueryAsync<Order>($"SELECT id AS Id, item AS Item, qty AS Qty FROM {name} ORDER BY id"))
            .ToList();

        Assert.Equal([new Order(1, "apple", 3), new Order(2, "pear", 5)], rows);
    }

    [Fact]
    public async Task Parameters_bind_in_inserts_and_filters()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("params");
        await conn.ExecuteAsync($"CREATE STREAM {name} (id BIGINT, label STRING)");
        for (var i = 0; i < 5; i++)
            await conn.ExecuteAsync($"INSERT INTO {name} (id, label) VALUES (@id, @label)", new { id = (long)i, label = $"l{i}" });

        var labels = (await conn.QueryAsync<string>($"SELECT label FROM {name} WHERE id >= @min ORDER BY id", new { min = 3L }))
            .ToList();

        Assert.Equal(["l3", "l4"], labels);
    }

    [Fact]
    public async Task Prepared_statement_runs_many_times()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("prep");
        await conn.ExecuteAsync($"CREATE STREAM {name} (n INT)");
        await using var insert = new NpgsqlCommand($"INSERT INTO {name} (n) VALUES ($1)", conn);
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        await insert.PrepareAsync();
        for (var i = 1; i <= 10; i++)
        {
            insert.Parameters[0].Value = i;
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Equal(55L, await conn.ExecuteScalarAsync<long>($"SELECT SUM(n) FROM {name}"));
    }

    [Fact]
    public async Task Syntax_error_reports_42601_and_keeps_the_connection()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("SELEC 1"));
        Assert.Equal("42601", ex.SqlState);
        Assert.True(ex.Position > 0);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Unknown_stream_reports_42P01_and_keeps_the_connection()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.QueryAsync("SELECT * FROM no_such_stream"));
        Assert.Equal("42P01", ex.SqlState);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Wrong_type_in_insert_reports_an_error_and_writes_nothing()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("typed");
        await conn.ExecuteAsync($"CREATE STREAM {name} (n INT)");
        var ex = await Assert.ThrowsAsync<PostgresException>(
            () => conn.ExecuteAsync($"INSERT INTO {name} (n) VALUES (1), ('not a number')"));
        Assert.StartsWith("22", ex.SqlState, StringComparison.Ordinal);
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {name}"));
    }

    [Fact]
    public async Task Pseudo_columns_are_readable()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("pseudo");
        await conn.ExecuteAsync($"CREATE STREAM {name} (n INT)");
        await conn.ExecuteAsync($"INSERT INTO {name} (n) VALUES (10), (20), (30)");

        var rows = (await conn.QueryAsync<(long Offset, int Partition, int N)>(
            $"SELECT ROWOFFSET, ROWPARTITION, n FROM {name} WHERE ROWOFFSET >= 1")).ToList();

        Assert.Equal([(1L, 0, 20), (2L, 0, 30)], rows);
    }

    [Fact]
    public async Task Discard_all_on_pooled_reuse_keeps_working()
    {
        for (var i = 0; i < 3; i++)
        {
            await using var conn = await _server.OpenConnectionAsync();
            Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
        }
    }

    private sealed record Order(long Id, string Item, int Qty);
}
