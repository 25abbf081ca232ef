using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Query.Server.Tests;

/// <summary>COPY FROM STDIN in text, CSV and binary appends through the engine, all or nothing.</summary>
public sealed class CopyTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public CopyTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Copy_text_format_appends_every_row()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        await using (var writer = await conn.BeginTextImportAsync($"COPY {name} (id, label) FROM STDIN"))
        {
            for (var i = 0; i < 1000; i++)
                await writer.WriteAsync($"{i}\tlabel {i}\n");
        }
        Assert.Equal(1000L, await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {name}"));
    }

    [Fact]
    public async Task Copy_csv_format_appends_every_row()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        await using (var writer = await conn.BeginTextImportAsync($"COPY {name} (id, label) FROM STDIN (FORMAT csv)"))
        {
            await writer.WriteAsync("1,\"a, quoted\"\n2,plain\n");
        }
        var labels = (await conn.QueryAsync<string>($"SELECT label FROM {name} ORDER BY id")).ToList();
        Assert.Equal(["a, quoted", "plain"], labels);
    }

    [Fact]
    public async Task Copy_binary_format_appends_every_row()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        await using (var importer = await conn.BeginBinaryImportAsync($"COPY {name} (id, label) FROM STDIN (FORMAT binary)"))
        {
            for (var i = 0; i < 100; i++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync((long)i, NpgsqlDbType.Bigint);
                await importer.WriteAsync($"b{i}", NpgsqlDbType.Text);
            }
            await importer.CompleteAsync();
        }
        Assert.Equal(4950L, await conn.ExecuteScalarAsync<long>($"SELECT SUM(id) FROM {name}"));
    }

    [Fact]
    public async Task Bad_row_rejects_the_whole_copy_and_names_the_line()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync($"COPY {name} (id, label) FROM STDIN");
            await writer.WriteAsync("1\tok\n2\tok\nnot-a-number\tbad\n");
        });
        Assert.StartsWith("22", ex.SqlState, StringComparison.Ordinal);
        Assert.Contains("line 3", (ex.Where ?? "") + ex.MessageText, StringComparison.Ordinal);
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {name}"));
    }

    [Fact]
    public async Task Copy_query_to_stdout_returns_rows_as_text()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        await conn.ExecuteAsync($"INSERT INTO {name} (id, label) VALUES (1, 'x'), (2, 'y')");
        using var reader = await conn.BeginTextExportAsync($"COPY (SELECT id, label FROM {name}) TO STDOUT");
        var text = await reader.ReadToEndAsync();
        Assert.Equal("1\tx\n2\ty\n", text);
    }

    private static async Task<string> CreateAsync(NpgsqlConnection conn)
    {
        var name = ServerFixture.UniqueName("copy");
        await conn.ExecuteAsync($"CREATE STREAM {name} (id BIGINT, label STRING)");
        return name;
    }
}
