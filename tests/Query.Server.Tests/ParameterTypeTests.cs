using System.Buffers.Binary;
using System.Text;

namespace Query.Server.Tests;

/// <summary>
/// Every parameter type the README lists, declared by OID and sent in text and in binary over the raw protocol,
/// comes back as the right value; array parameters accept PostgreSQL's text syntax and the binary array format.
/// </summary>
public sealed class ParameterTypeTests : IClassFixture<ServerFixture>
{
    private static readonly DateTime Moment = new(2024, 1, 2, 3, 4, 5, 250, DateTimeKind.Utc);
    private readonly ServerFixture _server;

    public ParameterTypeTests(ServerFixture server) => _server = server;

    /// <summary>(name, OID, SQL type, text form, binary form, expected text of the result).</summary>
    public static TheoryData<string, int, string, string, byte[], string> Scalars() => new()
    {
        { "bool", 16, "BOOLEAN", "t", [1], "t" },
        { "int2", 21, "INT", "5", Int16(5), "5" },
        { "int2 negative", 21, "BIGINT", "-32768", Int16(short.MinValue), "-32768" },
        { "int4", 23, "INT", "2147483647", Int32(int.MaxValue), "2147483647" },
        { "int8", 20, "BIGINT", "-9000000000", Int64(-9_000_000_000), "-9000000000" },
        { "float4", 700, "DOUBLE", "1.5", Int32(BitConverter.SingleToInt32Bits(1.5f)), "1.5" },
        { "float8", 701, "DOUBLE", "-2.25", Int64(BitConverter.DoubleToInt64Bits(-2.25)), "-2.25" },
        { "numeric", 1700, "DECIMAL(10, 2)", "12.5", [0, 2, 0, 0, 0, 0, 0, 1, 0, 12, 0x13, 0x88], "12.50" },
        { "text", 25, "STRING", "héllo", "héllo"u8.ToArray(), "héllo" },
        { "varchar", 1043, "STRING", "v", "v"u8.ToArray(), "v" },
        { "bytea", 17, "BYTES", "\\x0102ff", [1, 2, 0xFF], "\\x0102ff" },
        { "timestamp", 1114, "TIMESTAMP", "2024-01-02 03:04:05.25", Int64(PgMicros(Moment)), "2024-01-02 03:04:05.25" },
        { "timestamptz", 1184, "TIMESTAMP", "2024-01-02 04:04:05.25+01", Int64(PgMicros(Moment)),
            "2024-01-02 03:04:05.25" },
        { "date", 1082, "DATE", "2024-01-02", Int32(8767), "2024-01-02" },
        { "time", 1083, "TIME", "03:04:05.25", Int64(11_045_250_000), "03:04:05.25" },
        { "uuid", 2950, "STRING", "0102030a-0b0c-0d0e-0f10-111213141516",
            [1, 2, 3, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22], "0102030a-0b0c-0d0e-0f10-111213141516" },
        { "json", 114, "MAP<STRING, INT>", "{\"k\": 7}", "{\"k\": 7}"u8.ToArray(), "{\"k\":7}" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public async Task A_scalar_parameter_in_text_is_read_as_PostgreSQL_would(string name, int oid, string sqlType,
        string text, byte[] binary, string expected)
    {
        _ = binary;
        await using var client = await RawProtocolClient.ConnectAsync(_server.Port);
        var result = await client.QueryWithParameterAsync($"SELECT CAST($1 AS {sqlType})", oid,
            Encoding.UTF8.GetBytes(text), binary: false);
        Assert.True(result == (expected, null), $"{name}: {result}");
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public async Task A_scalar_parameter_in_binary_is_read_as_PostgreSQL_would(string name, int oid, string sqlType,
        string text, byte[] binary, string expected)
    {
        _ = text;
        await using var client = await RawProtocolClient.ConnectAsync(_server.Port);
        var result = await client.QueryWithParameterAsync($"SELECT CAST($1 AS {sqlType})", oid, binary, binary: true);
        Assert.True(result == (expected, null), $"{name}: {result}");
    }

    public static TheoryData<string, string, string> TextArrays() => new()
    {
        { "ARRAY<INT>", "{1,2,3}", "{1,2,3}" },
        { "ARRAY<INT>", " { 1 , NULL ,3 } ", "{1,NULL,3}" },
        { "ARRAY<INT>", "{}", "{}" },
        { "ARRAY<INT>", "[0:2]={7,8,9}", "{7,8,9}" },
        { "ARRAY<STRING>", "{\"a b\",\"c\\\"d\",\"NULL\",NULL,e\\,f,\"{x}\"}", "{\"a b\",\"c\\\"d\",\"NULL\",NULL,\"e,f\",\"{x}\"}" },
        { "ARRAY<ARRAY<INT>>", "{{1,2},{3,NULL}}", "[[1,2],[3,null]]" },
        { "ARRAY<BOOLEAN>", "{t,f,true}", "{t,f,t}" },
        { "ARRAY<DOUBLE>", "{1.5,-2,NaN}", "{1.5,-2,NaN}" },
        { "ARRAY<DECIMAL(5, 1)>", "{1.5,2}", "{1.5,2.0}" },
        { "ARRAY<BIGINT>", "{9000000000}", "{9000000000}" },
        { "ARRAY<DATE>", "{2024-01-02}", "{2024-01-02}" },
        { "ARRAY<TIMESTAMP>", "{\"2024-01-02 03:04:05\"}", "{\"2024-01-02 03:04:05\"}" },
        { "ARRAY<TIME>", "{03:04:05}", "{03:04:05}" },
        { "ARRAY<BYTES>", "{\"\\\\x01ff\"}", "{\"\\\\x01ff\"}" },
        { "ARRAY<INT>", "[1,2]", "{1,2}" },
    };

    [Theory]
    [MemberData(nameof(TextArrays))]
    public async Task An_array_parameter_in_PostgreSQL_text_syntax_is_accepted(string sqlType, string text,
        string expected)
    {
        await using var client = await RawProtocolClient.ConnectAsync(_server.Port);
        var result = await client.QueryWithParameterAsync($"SELECT CAST($1 AS {sqlType})", 0,
            Encoding.UTF8.GetBytes(text), binary: false);
        Assert.Equal((expected, (string?)null), result);
    }

    [Theory]
    [InlineData("{1,2")]
    [InlineData("{1,,2}")]
    [InlineData("{1,{2}}")]
    [InlineData("{\"1}")]
    [InlineData("{x}")]
    [InlineData("{1} 2")]
    public async Task A_malformed_array_text_is_22P02(string text)
    {
        await using var client = await RawProtocolClient.ConnectAsync(_server.Port);
        var result = await client.QueryWithParameterAsync("SELECT CAST($1 AS ARRAY<INT>)", 0,
            Encoding.UTF8.GetBytes(text), binary: false);
        Assert.Equal((null, "22P02"), result);
    }

    public static TheoryData<string, int, int, byte[][], string> BinaryArrays() => new()
    {
        { "ARRAY<INT>", 1007, 23, [Int32(1), Int32(-2)], "{1,-2}" },
        { "ARRAY<INT>", 1005, 21, [Int16(3), Int16(4)], "{3,4}" },
        { "ARRAY<BIGINT>", 1016, 20, [Int64(9_000_000_000)], "{9000000000}" },
        { "ARRAY<BOOLEAN>", 1000, 16, [[1], [0]], "{t,f}" },
        { "ARRAY<DOUBLE>", 1022, 701, [Int64(BitConverter.DoubleToInt64Bits(0.5))], "{0.5}" },
        { "ARRAY<DOUBLE>", 1021, 700, [Int32(BitConverter.SingleToInt32Bits(0.25f))], "{0.25}" },
        { "ARRAY<DECIMAL(10, 2)>", 1231, 1700, [[0, 2, 0, 0, 0, 0, 0, 1, 0, 12, 0x13, 0x88]], "{12.50}" },
        { "ARRAY<STRING>", 1009, 25, ["a,b"u8.ToArray(), "c"u8.ToArray()], "{\"a,b\",c}" },
        { "ARRAY<STRING>", 1015, 1043, ["v"u8.ToArray()], "{v}" },
        { "ARRAY<BYTES>", 1001, 17, [[1, 0xFF]], "{\"\\\\x01ff\"}" },
        { "ARRAY<DATE>", 1182, 1082, [Int32(8767)], "{2024-01-02}" },
        { "ARRAY<TIMESTAMP>", 1115, 1114, [Int64(PgMicros(Moment))], "{\"2024-01-02 03:04:05.25\"}" },
        { "ARRAY<TIME>", 1183, 1083, [Int64(11_045_250_000)], "{03:04:05.25}" },
        { "ARRAY<STRING>", 2951, 2950, [[1, 2, 3, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]],
            "{0102030a-0b0c-0d0e-0f10-111213141516}" },
    };

    [Theory]
    [MemberData(nameof(BinaryArrays))]
    public async Task An_array_parameter_in_binary_is_accepted_for_every_element_type(string sqlType, int arrayOid,
        int elementOid, byte[][] elements, string expected)
    {
        await using var client = await RawProtocolClient.ConnectAsync(_server.Port);
        var result = await client.QueryWithParameterAsync($"SELECT CAST($1 AS {sqlType})", arrayOid,
            BinaryArray(elementOid, [elements.Length], elements), binary: true);
        Assert.Equal((expected, (string?)null), result);
    }

    [Fact]
    public async Task Binary_arrays_carry_NULLs_no_elements_and_two_dimensions()
    {
        await using var client = await RawProtocolClient.ConnectAsync(_server.Port);
        var withNull = await client.QueryWithParameterAsync("SELECT CAST($1 AS ARRAY<INT>)", 1007,
            BinaryArray(23, [2], [Int32(1), null]), binary: true);
        Assert.Equal(("{1,NULL}", (string?)null), withNull);
        var empty = await client.QueryWithParameterAsync("SELECT CAST($1 AS ARRAY<INT>)", 1007,
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23], binary: true);
        Assert.Equal(("{}", (string?)null), empty);
        var square = await client.QueryWithParameterAsync("SELECT CAST($1 AS ARRAY<ARRAY<INT>>)", 1007,
            BinaryArray(23, [2, 2], [Int32(1), Int32(2), Int32(3), Int32(4)]), binary: true);
        Assert.Equal(("[[1,2],[3,4]]", (string?)null), square);
        var tooDeep = await client.QueryWithParameterAsync("SELECT CAST($1 AS ARRAY<INT>)", 1007,
            BinaryArray(23, [1, 1, 1, 1, 1, 1, 1], [Int32(1)]), binary: true);
        Assert.Equal((null, "54000"), tooDeep);
        var truncated = await client.QueryWithParameterAsync("SELECT CAST($1 AS ARRAY<INT>)", 1007,
            BinaryArray(23, [3], [Int32(1)]), binary: true);
        Assert.Equal((null, "22P03"), truncated);
    }

    private static byte[] BinaryArray(int elementOid, int[] dimensions, byte[]?[] elements)
    {
        var bytes = new List<byte>();
        bytes.AddRange(Int32(dimensions.Length));
        bytes.AddRange(Int32(elements.Any(e => e is null) ? 1 : 0));
        bytes.AddRange(Int32(elementOid));
        foreach (var size in dimensions)
        {
            bytes.AddRange(Int32(size));
            bytes.AddRange(Int32(1));
        }
        foreach (var element in elements)
        {
            bytes.AddRange(Int32(element?.Length ?? -1));
            bytes.AddRange(element ?? []);
        }
        return [.. bytes];
    }

    private static long PgMicros(DateTime utc) => (utc - new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Ticks / 10;

    private static byte[] Int16(short value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
