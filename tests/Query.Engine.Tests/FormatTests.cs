using System.Buffers;
using System.Text;
using Query.Engine.Execution;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Tests;

public sealed class FormatTests
{
    private static readonly SqlType[] Types =
    [
        SqlType.Boolean, SqlType.Int, SqlType.BigInt, SqlType.Double, new DecimalType(10, 3), SqlType.String,
        SqlType.Bytes, SqlType.Timestamp, SqlType.Date, SqlType.Time, new ArrayType(SqlType.String),
        new MapType(SqlType.String, SqlType.Int),
        new StructType(new EquatableArray<StructField>([new("A", SqlType.Int), new("B",
            new ArrayType(SqlType.Double))])),
    ];

    private static readonly object?[] Values =
    [
        true, -42, long.MaxValue, 3.25, 12.345m, "héllo", new byte[] { 0, 255 }, 1704067200123L, 19723, 3_600_000,
        new SqlArray(["a", null, "c"]), new SqlMap(["x", "y"], [1, null]),
        new SqlStruct([7, new SqlArray([1.5, null])]),
    ];

    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_matches_kafkas_utils_test_vectors(string key, int expected) =>
        Assert.Equal(expected, KafkaPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void Keys_serialize_as_kafka_serializers_do()
    {
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, KafkaPartitioner.SerializeKey(Cell.FromInt64(256), SqlType.Int));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 5 }, KafkaPartitioner.SerializeKey(Cell.FromInt64(5),
            SqlType.BigInt));
        Assert.Equal("k"u8.ToArray(), KafkaPartitioner.SerializeKey(Cell.FromRef("k"), SqlType.String));
        // (-973932308 & 0x7fffffff) % 7 == 3
        Assert.Equal(3, KafkaPartitioner.Partition("21"u8, 7));
    }

    private static Cell[] Cells()
    {
        var cells = new Cell[Values.Length];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = Cell.FromObject(Values[i], Types[i]);
        return cells;
    }

    private static void AssertRoundTrip(RecordCursor cursor)
    {
        for (var i = 0; i < Types.Length; i++)
        {
            var actual = cursor.GetCell(i).ToObject(Types[i]);
            if (Values[i] is byte[] bytes)
                Assert.Equal(bytes, (byte[])actual!);
            else
                Assert.Equal(Values[i], actual);
        }
    }

    [Fact]
    public void Binary_rows_round_trip_every_type()
    {
        var buffer = new ArrayBufferWriter<byte>();
        BinaryRowFormat.Write(buffer, Cells(), Types);
        var cursor = new RecordCursor(Types, new string[Types.Length], codec: null);
        cursor.Load(buffer.WrittenSpan, 1, 2, 3);
        AssertRoundTrip(cursor);
        Assert.Equal(1, cursor.Offset);
    }

    [Fact]
    public void Json_rows_round_trip_every_type()
    {
        var names = Enumerable.Range(0, Types.Length).Select(i => $"C{i}").ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        JsonRowFormat.Write(buffer, Cells(), names, Types);
        Assert.StartsWith("{\"C0\":true,\"C1\":-42", Encoding.UTF8.GetString(buffer.WrittenSpan),
            StringComparison.Ordinal);
        var columns = names.Select((name, i) => new Binding.ColumnInfo(name, Types[i])).ToArray();
        var definition = new Catalog.StreamDefinition("S", columns, -1, -1, Catalog.ValueFormat.Json, "S", 1, -1, 0);
        var cursor = new RecordCursor(Types, names, new RecordCodec(definition));
        Assert.True(cursor.Load(default, false, buffer.WrittenSpan, 0, 0, 0));
        AssertRoundTrip(cursor);
    }

    [Fact]
    public void Reading_one_column_does_not_decode_the_others()
    {
        var types = new[] { SqlType.Int, new ArrayType(SqlType.Int), SqlType.String };
        var buffer = new ArrayBufferWriter<byte>();
        BinaryRowFormat.Write(buffer, [Cell.FromInt64(9), Cell.FromRef(new SqlArray([1, 2])), Cell.FromRef("z")],
            types);
        var bytes = buffer.WrittenSpan.ToArray();
        // Corrupt the array column's element count: only a read of that column may notice.
        var arrayStart = BinaryRowFormat.HeaderBytes(3) + 4;
        bytes[arrayStart] = 0xFF;
        bytes[arrayStart + 3] = 0x7F;
        var cursor = new RecordCursor(types, ["A", "B", "C"], codec: null);
        cursor.Load(bytes, 0, 0, 0);
        Assert.True(cursor.TryGetInt32(0, out var a));
        Assert.Equal(9, a);
        Assert.True(cursor.TryGetString(2, out var c));
        Assert.Equal("z", c);
        Assert.Throws<Errors.SqlException>(() => cursor.TryGetArray(1, out _));
    }

    [Fact]
    public void Nulls_and_columns_added_later_read_as_null()
    {
        var buffer = new ArrayBufferWriter<byte>();
        BinaryRowFormat.Write(buffer, [Cell.Null, Cell.FromInt64(1)], [SqlType.String, SqlType.Int]);
        var cursor = new RecordCursor([SqlType.String, SqlType.Int, SqlType.Double], ["A", "B", "C"], codec: null);
        cursor.Load(buffer.WrittenSpan, 0, 0, 0);
        Assert.False(cursor.TryGetString(0, out _));
        Assert.True(cursor.TryGetInt32(1, out _));
        Assert.False(cursor.TryGetDouble(2, out _));
    }

    [Fact]
    public void Truncated_rows_are_reported_as_corrupt_not_misread()
    {
        var buffer = new ArrayBufferWriter<byte>();
        BinaryRowFormat.Write(buffer, [Cell.FromRef("abcdef")], [SqlType.String]);
        var cursor = new RecordCursor([SqlType.String], ["A"], codec: null);
        cursor.Load(buffer.WrittenSpan[..^2], 0, 0, 0);
        var error = Assert.Throws<Errors.SqlException>(() => cursor.TryGetString(0, out _));
        Assert.Equal(Errors.SqlState.DataCorrupted, error.SqlState);
    }

    [Fact]
    public void Types_print_and_parse_back()
    {
        foreach (var type in Types)
            Assert.Equal(type, SqlTypeParser.Parse(type.ToString()));
    }

    [Theory]
    [InlineData("DECIMAL(x)")]
    [InlineData("DECIMAL(10, two)")]
    [InlineData("NUMERIC(-1)")]
    [InlineData("DECIMAL(99999999999)")]
    public void Malformed_decimal_type_text_is_an_undefined_type_not_a_crash(string text)
    {
        var error = Assert.Throws<Errors.SqlException>(() => SqlTypeParser.Parse(text));
        Assert.Equal(Errors.SqlState.UndefinedObject, error.SqlState);
    }
}

public sealed class TemporalTests
{
    [Theory]
    [InlineData("2024-01-01", 1704067200000L)]
    [InlineData("2024-01-01T00:00:01Z", 1704067201000L)]
    [InlineData("2024-01-01 10:00:00.5", 1704103200500L)]
    [InlineData("2024-01-01T10:00:00.123456", 1704103200123L)]
    [InlineData("2024-01-01T10:00+02:00", 1704096000000L)]
    [InlineData("2024-01-01T10:00:00-0130", 1704108600000L)]
    [InlineData("2024-02", 1706745600000L)]
    [InlineData("  2024-01-01T00:00:00Z ", 1704067200000L)]
    public void Iso_timestamps_parse_to_epoch_milliseconds(string text, long expected) =>
        Assert.Equal(expected, Query.Engine.Types.Temporal.ParseTimestamp(text));

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("2024-02-30")]
    [InlineData("yesterday")]
    [InlineData("2024-01-01T25:00")]
    public void Invalid_timestamps_are_22007(string text) =>
        Assert.Equal(Errors.SqlState.InvalidDatetimeFormat,
            Assert.Throws<Errors.SqlException>(() => Query.Engine.Types.Temporal.ParseTimestamp(text)).SqlState);
}
