using System.Buffers;
using System.Buffers.Binary;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// The binary form of accumulator state (little-endian fixed-width numbers; values in the nested-value format),
/// written by <see cref="Accumulator.Serialize"/> and read back by <see cref="Accumulator.Restore"/>. It is what
/// a persistent query's state changelog stores per group, so it stays compact and self-delimiting.
/// </summary>
public static class AccumulatorState
{
    public static void WriteInt64(IBufferWriter<byte> writer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    public static void WriteDouble(IBufferWriter<byte> writer, double value) =>
        WriteInt64(writer, BitConverter.DoubleToInt64Bits(value));

    /// <summary>A presence byte, then the value when not NULL.</summary>
    public static void WriteCell(IBufferWriter<byte> writer, in Cell cell, SqlType type)
    {
        writer.GetSpan(1)[0] = cell.IsNull ? (byte)0 : (byte)1;
        writer.Advance(1);
        if (!cell.IsNull)
            NestedValueCodec.WriteValue(writer, cell.ToObject(type)!, type);
    }

    public static long ReadInt64(ReadOnlySpan<byte> data, ref int position)
    {
        if (data.Length - position < 8)
            throw NestedValueCodec.Corrupt();
        var value = BinaryPrimitives.ReadInt64LittleEndian(data[position..]);
        position += 8;
        return value;
    }

    public static double ReadDouble(ReadOnlySpan<byte> data, ref int position) =>
        BitConverter.Int64BitsToDouble(ReadInt64(data, ref position));

    public static decimal ReadDecimal(ReadOnlySpan<byte> data, ref int position)
    {
        var value = NestedValueCodec.ReadDecimal(data[position..]);
        position += 16;
        return value;
    }

    public static Cell ReadCell(ReadOnlySpan<byte> data, ref int position, SqlType type)
    {
        if (position >= data.Length)
            throw NestedValueCodec.Corrupt();
        if (data[position++] == 0)
            return Cell.Null;
        return Cell.FromObject(NestedValueCodec.ReadValue(data, ref position, type), type);
    }
}
