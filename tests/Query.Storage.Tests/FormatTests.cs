using System.Text;
using Query.Storage.Format;

namespace Query.Storage.Tests;

public sealed class FormatTests
{
    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
        var long1 = Encoding.ASCII.GetBytes(new string('a', 1000));
        Assert.Equal(Crc32C.Compute(long1), Crc32C.Compute(long1.AsSpan()));
    }

    [Fact]
    public void Crc32C_with_three_lanes_equals_a_bytewise_reference_at_every_length_and_split()
    {
        var random = new Random(11);
        var data = new byte[20_000];
        random.NextBytes(data);
        foreach (var length in new[] { 0, 1, 7, 8, 3071, 3072, 3073, 6144, 9999, 20_000 })
        {
            var expected = Reference(data.AsSpan(0, length));
            Assert.Equal(expected, Crc32C.Compute(data.AsSpan(0, length)));
            var split = length / 3;
            var first = Crc32C.Append(~0u, data.AsSpan(0, split));
            var appended = ~Crc32C.Append(first, data.AsSpan(split, length - split));
            Assert.Equal(expected, appended);
        }
    }

    // Bitwise CRC-32C (reflected polynomial 0x82F63B78), independent of the hardware instruction.
    private static uint Reference(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void A_sealed_batch_round_trips_its_header_and_detects_any_flipped_bit()
    {
        using var builder = new RecordBatchBuilder();
        builder.Add(30, "k"u8, "v1"u8);
        builder.Add(10, "v2"u8);
        builder.Add(20, "v3"u8);
        var bytes = builder.Seal(0).ToArray();
        BatchHeader.WriteBaseOffset(bytes, 77);
        var header = BatchHeader.Read(bytes);
        Assert.Equal(77, header.BaseOffset);
        Assert.Equal(bytes.Length, header.BatchLength);
        Assert.Equal(3, header.RecordCount);
        Assert.Equal(10, header.MinTimestampMs);
        Assert.Equal(30, header.MaxTimestampMs);
        Assert.True(header.IsPlausible);
        Assert.True(header.CrcMatches(bytes));
        for (var bit = BatchHeader.CrcStart * 8; bit < bytes.Length * 8; bit += 7)
        {
            var copy = bytes.ToArray();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(BatchHeader.Read(copy).CrcMatches(copy) && BatchHeader.Read(copy).BatchLength == bytes.Length);
        }
        var size = RecordFormat.TryParse(bytes.AsSpan(BatchHeader.Size), 77, out var record);
        Assert.True(size > 0);
        Assert.Equal(77, record.Offset);
        Assert.Equal("v1", Encoding.ASCII.GetString(record.Value));
    }
}
