using Dapper;
using Npgsql;

namespace Query.Server.Tests;

/// <summary>Every column type goes in through parameters and comes back equal, in binary and in text.</summary>
public sealed class TypeRoundTripTests : IClassFixture<ServerFixture>
{
    private const string Columns =
        "b BOOLEAN, i INT, l BIGINT, d DOUBLE, m DECIMAL(10, 2), s STRING, y BYTES, t TIMESTAMP, dt DATE, tm TIME";

    private readonly ServerFixture _server;

    public TypeRoundTripTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Every_scalar_type_round_trips_in_binary()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAndFillAsync(conn);

        await using var cmd = new NpgsqlCommand($"SELECT b, i, l, d, m, s, y, t, dt, tm FROM {name}", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        AssertExpected(reader);
    }

    [Fact]
    public async Task Every_scalar_type_round_trips_in_text()
    {
        // The simple protocol returns text: a SQL string with no parameters goes through Query.
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAndFillAsync(conn);
        await using var batch = new NpgsqlBatch(conn) { BatchCommands = { new($"SELECT b, i, l, d, m, s, y, t, dt, tm FROM {name}") } };
        await using var reader = await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        AssertExpected(reader);
    }

    [Fact]
    public async Task Arrays_maps_and_structs_come_back()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("nested");
        await conn.ExecuteAsync($"CREATE STREAM {name} (a ARRAY<INT>, m MAP<STRING, INT>, s STRUCT<x INT, y STRING>)");
        await conn.ExecuteAsync($"INSERT INTO {name} (a, m, s) VALUES (ARRAY[1, 2, 3], MAP('k' := 7), STRUCT(x := 1, y := 'z'))");

        await using var cmd = new NpgsqlCommand($"SELECT a, m, s FROM {name}", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal([1, 2, 3], reader.GetFieldValue<int[]>(0));
        Assert.Contains("\"k\"", reader.GetString(1), StringComparison.Ordinal);
        // Struct field names fold to lower case unless quoted, as PostgreSQL folds identifiers.
        Assert.Contains("\"y\":\"z\"", reader.GetString(2), StringComparison.Ordinal);
    }

    private static async Task<string> CreateAndFillAsync(NpgsqlConnection conn)
    {
        var name = ServerFixture.UniqueName("types");
        await conn.ExecuteAsync($"CREATE STREAM {name} ({Columns})");
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO {name} (b, i, l, d, m, s, y, t, dt, tm) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", conn)
        {
            Parameters =
            {
                new() { Value = true },
                new() { Value = -42 },
                new() { Value = 9_000_000_000L },
                new() { Value = 2.5 },
                new() { Value = 12.34m },
                new() { Value = "héllo" },
                new() { Value = new byte[] { 1, 2, 255 } },
                new() { Value = new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Unspecified) },
                new() { Value = new DateOnly(2024, 2, 29) },
                new() { Value = new TimeOnly(13, 14, 15) },
            },
        };
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        return name;
    }

    private static void AssertExpected(NpgsqlDataReader reader)
    {
        Assert.True(reader.GetBoolean(0));
        Assert.Equal(-42, reader.GetInt32(1));
        Assert.Equal(9_000_000_000L, reader.GetInt64(2));
        Assert.Equal(2.5, reader.GetDouble(3));
        Assert.Equal(12.34m, reader.GetDecimal(4));
        Assert.Equal("héllo", reader.GetString(5));
        Assert.Equal(new byte[] { 1, 2, 255 }, reader.GetFieldValue<byte[]>(6));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 678), reader.GetDateTime(7));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(8));
        Assert.Equal(new TimeOnly(13, 14, 15), reader.GetFieldValue<TimeOnly>(9));
    }
}
