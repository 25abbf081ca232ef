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

    /// <summary>A presence byte, then the value when not NULL (fixed-width values written without boxing, in the
    /// bytes <see cref="NestedValueCodec.WriteValue"/> gives them).</summary>
    public static void WriteCell(IBufferWriter<byte> writer, in Cell cell, SqlType type)
    {
        var width = cell.IsNull ? 0 : FixedWidth(type.Kind);
        var span = writer.GetSpan(1 + Math.Max(0, width));
        span[0] = cell.IsNull ? (byte)0 : (byte)1;
        switch (width)
        {
            case 1:
                span[1] = cell.Bits != 0 ? (byte)1 : (byte)0;
                break;
            case 4:
                BinaryPrimitives.WriteInt32LittleEndian(span[1..], (int)cell.Bits);
                break;
            case 8:
                BinaryPrimitives.WriteInt64LittleEndian(span[1..], cell.Bits);
                break;
        }
        writer.Advance(1 + Math.Max(0, width));
        if (width < 0)
            NestedValueCodec.WriteValue(writer, cell.ToObject(type)!, type);
    }

    /// <summary>Bytes of a fixed-width value of <paramref name="kind"/> in the nested value format; -1 otherwise.
    /// </summary>
    private static int FixedWidth(SqlTypeKind kind) => kind switch
    {
        SqlTypeKind.Boolean => 1,
        SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time => 4,
        SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double => 8,
        _ => -1,
    };

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
        var width = FixedWidth(type.Kind);
        if (width > 0)
        {
            if (data.Length - position < width)
                throw NestedValueCodec.Corrupt();
            var value = data.Slice(position, width);
            position += width;
            return Cell.FromInt64(width switch
            {
                1 => value[0] != 0 ? 1 : 0,
                4 => BinaryPrimitives.ReadInt32LittleEndian(value),
                _ => BinaryPrimitives.ReadInt64LittleEndian(value),
            });
        }
        return Cell.FromObject(NestedValueCodec.ReadValue(data, ref position, type), type);
    }
}
