using Npgsql;
using NpgsqlTypes;

namespace Query.PgWire.Tests;

/// <summary>
/// Every type goes client → server → client: binary through Npgsql parameters and results, and text through
/// literals (<c>'…'::type</c>) read back with Npgsql's text mode (<c>AllResultTypesAreUnknown</c>), compared with
/// what PostgreSQL 15 prints.
/// </summary>
public sealed class TypeRoundTripTests : IClassFixture<PgServerFixture>
{
    private readonly PgServerFixture _server;

    public TypeRoundTripTests(PgServerFixture server) => _server = server;

    public static TheoryData<string, object> BinaryValues => new()
    {
        { "bool", true },
        { "int2", (short)-12 },
        { "int4", int.MinValue },
        { "int8", long.MaxValue },
        { "float4", 1.5f },
        { "float8", -2.25e100 },
        { "numeric", 12.34m },
        { "numeric", -0.000123m },
        { "numeric", 79228162514264337593543950335m },
        { "numeric", 0m },
        { "numeric", 10000.0001m },
        { "text", "héllo, wörld" },
        { "varchar", "v" },
        { "bytea", new byte[] { 0, 1, 2, 255 } },
        { "timestamp", new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified).AddTicks(1234560) },
        { "timestamptz", new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc) },
        { "date", new DateOnly(2024, 1, 2) },
        { "date", new DateOnly(1969, 7, 20) },
        { "time", new TimeOnly(3, 4, 5, 123) },
        { "interval", new NpgsqlInterval(14, 3, 7_384_000_000) },
        { "json", "{\"a\":1}" },
        { "jsonb", "{\"a\": 1}" },
        { "uuid", Guid.Parse("8f2c2a51-8e7c-4b8a-9a55-0d3b9f7f6a01") },
        { "int4[]", new[] { 1, 2, 3 } },
        { "text[]", new[] { "a", "b c", "" } },
        { "int8[]", Array.Empty<long>() },
    };

    [Theory]
    [MemberData(nameof(BinaryValues))]
    public async Task Binary_parameter_and_result_round_trip(string type, object value)
    {
        await using var conn = await _server.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT $1::{type}", conn);
        cmd.Parameters.Add(new NpgsqlParameter { DataTypeName = type, Value = value });
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        object actual = value switch
        {
            DateOnly => reader.GetFieldValue<DateOnly>(0),
            TimeOnly => reader.GetFieldValue<TimeOnly>(0),
            NpgsqlInterval => reader.GetFieldValue<NpgsqlInterval>(0),
            _ => reader.GetValue(0),
        };
        Assert.Equal(value, actual);
    }

    [Fact]
    public async Task Null_parameters_round_trip_as_null()
    {
        await using var conn = await _server.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT $1::int4, $2::text", conn);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = DBNull.Value });
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.IsDBNull(0));
        Assert.True(reader.IsDBNull(1));
    }

    public static TheoryData<string, string, string> TextValues => new()
    {
        { "bool", "true", "t" },
        { "int2", "-12", "-12" },
        { "int8", "9223372036854775807", "9223372036854775807" },
        { "float4", "1.5", "1.5" },
        { "float8", "1e100", "1e+100" },
        { "float8", "0.000012345", "1.2345e-05" },
        { "numeric", "12.340", "12.340" },
        { "bytea", "\\x0102ff", "\\x0102ff" },
        { "timestamp", "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05.123456" },
        { "timestamp", "2024-01-02 03:04:05", "2024-01-02 03:04:05" },
        { "timestamptz", "2024-01-02 03:04:05.5+00", "2024-01-02 03:04:05.5+00" },
        { "date", "2024-01-02", "2024-01-02" },
        { "time", "03:04:05.123456", "03:04:05.123456" },
        { "interval", "1 year 2 mons 3 days 04:05:06.5", "1 year 2 mons 3 days 04:05:06.5" },
        { "interval", "1 day -00:00:01", "1 day -00:00:01" },
        { "interval", "00:00:00", "00:00:00" },
        { "uuid", "8F2C2A51-8E7C-4B8A-9A55-0D3B9F7F6A01", "8f2c2a51-8e7c-4b8a-9a55-0d3b9f7f6a01" },
        { "jsonb", "{\"a\": 1}", "{\"a\": 1}" },
        { "int4[]", "{1,2,NULL}", "{1,2,NULL}" },
        { "text[]", "{a,\"b c\",\"\",\"q\\\"x\"}", "{a,\"b c\",\"\",\"q\\\"x\"}" },
    };

    [Theory]
    [MemberData(nameof(TextValues))]
    public async Task Text_literal_and_text_result_round_trip(string type, string literal, string expected)
    {
        await using var conn = await _server.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT '{literal.Replace("'", "''")}'::{type}", conn)
        {
            AllResultTypesAreUnknown = true,
        };
        Assert.Equal(expected, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Timestamptz_text_follows_the_session_time_zone()
    {
        await using var conn = await _server.OpenAsync();
        await using (var set = new NpgsqlCommand("SET TimeZone = 'Asia/Kolkata'", conn))
            await set.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand("SELECT '2024-01-02 03:04:05+00'::timestamptz", conn)
        {
            AllResultTypesAreUnknown = true,
        };
        Assert.Equal("2024-01-02 08:34:05+05:30", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Bad_text_input_is_22P02_and_the_connection_stays()
    {
        await using var conn = await _server.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 'abc'::int4", conn);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
        Assert.Equal("22P02", ex.SqlState);
        await using var ok = new NpgsqlCommand("SELECT 1", conn);
        Assert.Equal(1, await ok.ExecuteScalarAsync());
    }
}
