using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Query.PgWire.Tests;

public sealed class NpgsqlTests : IClassFixture<PgServerFixture>
{
    private readonly PgServerFixture _server;

    public NpgsqlTests(PgServerFixture server) => _server = server;

    [Fact]
    public async Task Plain_connection_string_connects()
    {
        await using var conn = await _server.OpenAsync();
        Assert.Equal(System.Data.ConnectionState.Open, conn.State);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
        Assert.StartsWith("15", conn.ServerVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dapper_parameters_round_trip()
    {
        await using var conn = await _server.OpenAsync();
        var parameters = new { a = 42, b = "héllo", c = 1L << 40 };
        var row = await conn.QuerySingleAsync<(int A, string B, long C)>("SELECT @a, @b, @c", parameters);
        Assert.Equal((42, "héllo", 1L << 40), row);
    }

    [Fact]
    public async Task Table_scan_reads_all_rows_with_dapper()
    {
        await using var conn = await _server.OpenAsync();
        var items = (await conn.QueryAsync<(long Id, string Name)>("SELECT * FROM items")).ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal((2L, "two"), items[1]);
    }

    [Fact]
    public async Task Syntax_error_reports_42601_and_keeps_the_connection()
    {
        await using var conn = await _server.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("SELEC 1"));
        Assert.Equal("42601", ex.SqlState);
        Assert.Equal(1, ex.Position);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Execution_error_keeps_the_connection_and_reports_the_state()
    {
        await using var conn = await _server.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteScalarAsync<int>("SELECT boom()"));
        Assert.Equal("22012", ex.SqlState);
        var missing = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("SELECT * FROM nope"));
        Assert.Equal("42P01", missing.SqlState);
        Assert.Equal(15, missing.Position);
        Assert.Equal(7, await conn.ExecuteScalarAsync<int>("SELECT @x", new { x = 7 }));
    }

    [Fact]
    public async Task Prepared_statements_are_reused_across_executions()
    {
        await using var conn = await _server.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT $1::int8, $2::text", conn);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.PrepareAsync();
        for (long i = 0; i < 5; i++)
        {
            cmd.Parameters[0].Value = i;
            cmd.Parameters[1].Value = "v" + i;
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(i, reader.GetInt64(0));
            Assert.Equal("v" + i, reader.GetString(1));
        }
        Assert.True(cmd.IsPrepared);
    }

    [Fact]
    public async Task Pooled_reuse_sends_discard_all_and_works()
    {
        await using var source = _server.CreateDataSource(";Maximum Pool Size=1");
        for (int i = 0; i < 3; i++)
        {
            await using var conn = await source.OpenConnectionAsync();
            Assert.Equal(i, await conn.ExecuteScalarAsync<int>("SELECT @i", new { i }));
        }
    }

    [Fact]
    public async Task Transactions_track_status_and_failed_blocks()
    {
        await using var conn = await _server.OpenAsync();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1", transaction: tx));
            await tx.CommitAsync();
        }
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("SELEC", transaction: tx));
            var aborted = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("SELECT 1",
                transaction: tx));
            Assert.Equal("25P02", aborted.SqlState);
            await tx.RollbackAsync();
        }
        Assert.Equal(2, await conn.ExecuteScalarAsync<int>("SELECT 2"));
    }

    [Fact]
    public async Task Set_show_and_reset_round_trip()
    {
        await using var conn = await _server.OpenAsync();
        await conn.ExecuteAsync("SET application_name = 'wire-test'");
        Assert.Equal("wire-test", await conn.ExecuteScalarAsync<string>("SHOW application_name"));
        await conn.ExecuteAsync("SET TimeZone TO 'Europe/Berlin'");
        Assert.Equal("Europe/Berlin", conn.Timezone);
        await conn.ExecuteAsync("RESET ALL");
        Assert.Equal("", await conn.ExecuteScalarAsync<string>("SHOW application_name"));
        var streams = (await conn.QueryAsync<string>("SHOW STREAMS")).ToList();
        Assert.Contains("ticks", streams);
    }

    [Fact]
    public async Task Multiple_statements_in_one_command_each_return_results()
    {
        await using var conn = await _server.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1; SELECT 'two'", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.GetInt32(0));
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal("two", reader.GetString(0));
    }
}
