using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Query.Engine.Types;

namespace Query.Engine.Format;

/// <summary>
/// The default value format: one row encoded once at insert, read column by column without decoding the rest.
/// <code>
/// [u8 version=1][u16 columnCount n][null bitmap, (n+7)/8 bytes][u32 end offset per column][column data]
/// </code>
/// A column's bytes are data[end(i-1) .. end(i)); scalars are little-endian, STRING is bare UTF-8, nested values
/// use <see cref="NestedValueCodec"/>. Rows written before ALTER STREAM ADD COLUMN have a smaller n: the missing
/// trailing columns read as NULL.
/// </summary>
public static class BinaryRowFormat
{
    public const byte Version = 1;

    public static int HeaderBytes(int columnCount) => 3 + ((columnCount + 7) / 8) + (4 * columnCount);

    /// <summary>Appends the encoding of <paramref name="cells"/> to <paramref name="writer"/>.</summary>
    public static void Write(ArrayBufferWriter<byte> writer, ReadOnlySpan<Cell> cells, IReadOnlyList<SqlType> types)
    {
        var count = cells.Length;
        var headerBytes = HeaderBytes(count);
        var start = writer.WrittenCount;
        var header = writer.GetSpan(headerBytes)[..headerBytes];
        header.Clear();
        header[0] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(header[1..], (ushort)count);
        writer.Advance(headerBytes);
        var dataStart = writer.WrittenCount;
        var offsetTable = 3 + ((count + 7) / 8);
        for (var i = 0; i < count; i++)
        {
            if (cells[i].IsNull)
                MarkNull(writer, start, i);
            else
                WriteCell(writer, cells[i], types[i]);
            var end = (uint)(writer.WrittenCount - dataStart);
            BinaryPrimitives.WriteUInt32LittleEndian(SpanAt(writer, start + offsetTable + (4 * i)), end);
        }
    }

    private static void MarkNull(ArrayBufferWriter<byte> writer, int start, int column) =>
        SpanAt(writer, start + 3 + (column >> 3))[0] |= (byte)(1 << (column & 7));

    // ArrayBufferWriter exposes only its written span read-only; the header was written by us, so patching it
    // in place through MemoryMarshal is safe and avoids a second pass.
    private static Span<byte> SpanAt(ArrayBufferWriter<byte> writer, int position) =>
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(writer.WrittenMemory).Span[position..];

    /// <summary>Appends one non-null cell in the binary row format (the bulk path reuses this, one format).</summary>
    internal static void WriteCell(ArrayBufferWriter<byte> writer, in Cell cell, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean:
                writer.GetSpan(1)[0] = cell.Bits != 0 ? (byte)1 : (byte)0;
                writer.Advance(1);
                break;
            case SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time:
                BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), (int)cell.Bits);
                writer.Advance(4);
                break;
            case SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double:
                BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), cell.Bits);
                writer.Advance(8);
                break;
            case SqlTypeKind.Decimal when type is DecimalType { IsWide: true }:
                NestedValueCodec.WriteWideDecimal(writer, (WideDecimal)cell.Ref!);
                break;
            case SqlTypeKind.Decimal:
                NestedValueCodec.WriteDecimal(writer, cell.Decimal);
                break;
            case SqlTypeKind.String:
                Encoding.UTF8.GetBytes((string)cell.Ref!, writer);
                break;
            default:
                NestedValueCodec.WriteTopLevel(writer, cell.Ref!, type);
                break;
        }
    }
}
