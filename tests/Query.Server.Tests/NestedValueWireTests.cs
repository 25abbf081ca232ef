using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Query.Server.Tests;

/// <summary>
/// Arrays of STRUCT / MAP / temporal values at every depth come back as values (JSON for STRUCT and MAP
/// elements), never as .NET type names, in text and binary, and survive COPY out and back in.
/// </summary>
public sealed class NestedValueWireTests : IClassFixture<ServerFixture>
{
    private const string Columns = "id INT, s ARRAY<STRUCT<x INT, deep ARRAY<MAP<STRING, INT>>>>, m ARRAY<MAP<STRING, "
        + "INT>>, t ARRAY<TIMESTAMP>, d ARRAY<DATE>";

    private const string Insert = "(id, s, m, t, d) VALUES (1, ARRAY[STRUCT(x := 1, deep := ARRAY[MAP('k' := 2)]), "
        + "NULL], ARRAY[MAP('a' := 1, 'b' := NULL)], ARRAY[TIMESTAMP '2024-01-02 03:04:05.678'], "
        + "ARRAY[DATE '2024-02-29'])";

    private const string StructText = "{\"{\\\"x\\\":1,\\\"deep\\\":[{\\\"k\\\":2}]}\",NULL}";

    private const NpgsqlDbType JsonArray = NpgsqlDbType.Array | NpgsqlDbType.Json;

    private readonly ServerFixture _server;

    public NestedValueWireTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Select_literal_arrays_of_struct_and_map_in_text()
    {
        await using var conn = await _server.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands = { new("SELECT ARRAY[STRUCT(a := 1)] AS x, ARRAY[MAP('k' := 1)] AS y") },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(["{\"a\":1}"], reader.GetFieldValue<string[]>(0));
        Assert.Equal(["{\"k\":1}"], reader.GetFieldValue<string[]>(1));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Stored_nested_arrays_read_back_in_binary_and_text(bool binary)
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAndFillAsync(conn);
        var sql = $"SELECT s, m, t, d FROM {name}";
        await using var batch = new NpgsqlBatch(conn) { BatchCommands = { new(sql) } };
        await using var command = new NpgsqlCommand(sql, conn);
        await using var reader = binary ? await command.ExecuteReaderAsync() : await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(new[] { "{\"x\":1,\"deep\":[{\"k\":2}]}", null }, reader.GetFieldValue<string?[]>(0).AsEnumerable());
        Assert.Equal(["{\"a\":1,\"b\":null}"], reader.GetFieldValue<string[]>(1));
        Assert.Equal([new DateTime(2024, 1, 2, 3, 4, 5, 678)], reader.GetFieldValue<DateTime[]>(2));
        Assert.Equal([new DateOnly(2024, 2, 29)], reader.GetFieldValue<DateOnly[]>(3));
    }

    [Fact]
    public async Task Copy_text_out_and_back_in_keeps_nested_values()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAndFillAsync(conn);
        string text;
        using (var reader = await conn.BeginTextExportAsync($"COPY (SELECT id, s, m, t, d FROM {name}) TO STDOUT"))
            text = await reader.ReadToEndAsync();
        Assert.Contains(StructText.Replace("\\", "\\\\", StringComparison.Ordinal), text, StringComparison.Ordinal);
        await using (var writer = await conn.BeginTextImportAsync($"COPY {name} (id, s, m, t, d) FROM STDIN"))
            await writer.WriteAsync(text.Replace("1\t", "2\t", StringComparison.Ordinal));
        var rows = (await conn.QueryAsync<string>(
            $"SELECT CAST(s AS STRING) || CAST(m AS STRING) || CAST(t AS STRING) || CAST(d AS STRING) FROM {name}"))
            .ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0], rows[1]);
    }

    [Fact]
    public async Task Copy_binary_out_and_back_in_keeps_nested_values()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAndFillAsync(conn);
        var values = new List<object?[]>();
        using (var exporter = await conn.BeginBinaryExportAsync(
            $"COPY (SELECT id, s, m, t, d FROM {name}) TO STDOUT (FORMAT binary)"))
        {
            while (await exporter.StartRowAsync() > 0)
            {
                values.Add([await exporter.ReadAsync<int>(), await exporter.ReadAsync<string?[]>(),
                    await exporter.ReadAsync<string[]>(), await exporter.ReadAsync<DateTime[]>(),
                    await exporter.ReadAsync<DateOnly[]>()]);
            }
        }
        Assert.Single(values);
        Assert.Equal(new[] { "{\"x\":1,\"deep\":[{\"k\":2}]}", null }, ((string?[])values[0][1]!).AsEnumerable());
        await using (var importer = await conn.BeginBinaryImportAsync(
            $"COPY {name} (id, s, m, t, d) FROM STDIN (FORMAT binary)"))
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(2, NpgsqlDbType.Integer);
            await importer.WriteAsync((string?[])values[0][1]!, JsonArray);
            await importer.WriteAsync((string[])values[0][2]!, JsonArray);
            await importer.WriteAsync((DateTime[])values[0][3]!, NpgsqlDbType.Array | NpgsqlDbType.Timestamp);
            await importer.WriteAsync((DateOnly[])values[0][4]!, NpgsqlDbType.Array | NpgsqlDbType.Date);
            await importer.CompleteAsync();
        }
        var rows = (await conn.QueryAsync<string>(
            $"SELECT CAST(s AS STRING) || CAST(m AS STRING) || CAST(t AS STRING) || CAST(d AS STRING) FROM {name}"))
            .ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0], rows[1]);
    }

    private static async Task<string> CreateAndFillAsync(NpgsqlConnection conn)
    {
        var name = ServerFixture.UniqueName("nested");
        await conn.ExecuteAsync($"CREATE STREAM {name} ({Columns})");
        await conn.ExecuteAsync($"INSERT INTO {name} {Insert}");
        return name;
    }
}
