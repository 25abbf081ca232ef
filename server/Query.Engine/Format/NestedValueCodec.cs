using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Format;

/// <summary>
/// Binary encoding of single values, little-endian. A top-level column's length comes from the row's offset
/// table, so strings and bytes are stored bare there; inside ARRAY / MAP / STRUCT every value is preceded by
/// a null flag byte and variable-length values by a u32 length.
/// </summary>
public static class NestedValueCodec
{
    public static void WriteTopLevel(IBufferWriter<byte> writer, object value, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.String:
                Encoding.UTF8.GetBytes((string)value, writer);
                return;
            case SqlTypeKind.Bytes:
                writer.Write((byte[])value);
                return;
            default:
                WriteValue(writer, value, type);
                return;
        }
    }

    public static void WriteValue(IBufferWriter<byte> writer, object value, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean:
                writer.GetSpan(1)[0] = (bool)value ? (byte)1 : (byte)0;
                writer.Advance(1);
                break;
            case SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time:
                BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), (int)value);
                writer.Advance(4);
                break;
            case SqlTypeKind.BigInt or SqlTypeKind.Timestamp:
                BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), (long)value);
                writer.Advance(8);
                break;
            case SqlTypeKind.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(writer.GetSpan(8), (double)value);
                writer.Advance(8);
                break;
            case SqlTypeKind.Decimal when type is DecimalType { IsWide: true }:
                WriteWideDecimal(writer, value is WideDecimal wide ? wide : WideDecimal.FromDecimal((decimal)value));
                break;
            case SqlTypeKind.Decimal:
                WriteDecimal(writer, (decimal)value);
                break;
            case SqlTypeKind.String:
                WriteLengthPrefixed(writer, Encoding.UTF8.GetBytes((string)value));
                break;
            case SqlTypeKind.Bytes:
                WriteLengthPrefixed(writer, (byte[])value);
                break;
            default:
                WriteComplex(writer, value, type);
                break;
        }
    }

    public static void WriteDecimal(IBufferWriter<byte> writer, decimal value)
    {
        var span = writer.GetSpan(16);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        for (var i = 0; i < 4; i++)
            BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], bits[i]);
        writer.Advance(16);
    }

    /// <summary>A wide DECIMAL: its unscaled 128-bit value (little-endian), then its scale (one byte).</summary>
    public static void WriteWideDecimal(IBufferWriter<byte> writer, WideDecimal value)
    {
        var span = writer.GetSpan(WideDecimalBytes);
        BinaryPrimitives.WriteInt128LittleEndian(span, value.Unscaled);
        span[16] = (byte)value.Scale;
        writer.Advance(WideDecimalBytes);
    }

    public const int WideDecimalBytes = 17;

    public static WideDecimal ReadWideDecimal(ReadOnlySpan<byte> data)
    {
        if (data.Length < WideDecimalBytes || data[16] > WideDecimal.MaxDigits)
            throw Corrupt();
        return new WideDecimal(BinaryPrimitives.ReadInt128LittleEndian(data), data[16]);
    }

    public static decimal ReadDecimal(ReadOnlySpan<byte> data)
    {
        if (data.Length < 16)
            throw Corrupt();
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(data[(i * 4)..]);
        return new decimal(bits);
    }

    private static void WriteComplex(IBufferWriter<byte> writer, object value, SqlType type)
    {
        switch (type)
        {
            case ArrayType array:
                var items = ((SqlArray)value).Items;
                WriteCount(writer, items.Length);
                foreach (var item in items)
                    WriteNullable(writer, item, array.Element);
                break;
            case MapType map:
                var mapValue = (SqlMap)value;
                WriteCount(writer, mapValue.Count);
                for (var i = 0; i < mapValue.Count; i++)
                {
                    WriteNullable(writer, mapValue.Keys[i], map.Key);
                    WriteNullable(writer, mapValue.Values[i], map.Value);
                }
                break;
            case StructType structType:
                var fields = ((SqlStruct)value).Fields;
                WriteCount(writer, structType.Fields.Count);
                for (var i = 0; i < structType.Fields.Count; i++)
                    WriteNullable(writer, i < fields.Length ? fields[i] : null, structType.Fields[i].Type);
                break;
            default:
                throw new InvalidOperationException($"no binary encoding for {type}");
        }
    }

    private static void WriteNullable(IBufferWriter<byte> writer, object? value, SqlType type)
    {
        writer.GetSpan(1)[0] = value is null ? (byte)0 : (byte)1;
        writer.Advance(1);
        if (value is not null)
            WriteValue(writer, value, type);
    }

    private static void WriteCount(IBufferWriter<byte> writer, int count)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), count);
        writer.Advance(4);
    }

    private static void WriteLengthPrefixed(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        WriteCount(writer, bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>Reads one value written by <see cref="WriteValue"/>; advances <paramref name="position"/>.</summary>
    public static object ReadValue(ReadOnlySpan<byte> data, ref int position, SqlType type)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var rest = data[position..];
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean: position += 1; return Need(rest, 1)[0] != 0;
            case SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time:
                position += 4; return BinaryPrimitives.ReadInt32LittleEndian(Need(rest, 4));
            case SqlTypeKind.BigInt or SqlTypeKind.Timestamp:
                position += 8; return BinaryPrimitives.ReadInt64LittleEndian(Need(rest, 8));
            case SqlTypeKind.Double: position += 8; return BinaryPrimitives.ReadDoubleLittleEndian(Need(rest, 8));
            case SqlTypeKind.Decimal when type is DecimalType { IsWide: true }:
                position += WideDecimalBytes; return ReadWideDecimal(rest);
            case SqlTypeKind.Decimal: position += 16; return ReadDecimal(rest);
            case SqlTypeKind.String:
                var text = ReadLengthPrefixed(rest, out var used);
                position += used;
                return Encoding.UTF8.GetString(text);
            case SqlTypeKind.Bytes:
                var bytes = ReadLengthPrefixed(rest, out var usedBytes);
                position += usedBytes;
                return bytes.ToArray();
            default:
                return ReadComplex(data, ref position, type);
        }
    }

    public static object ReadTopLevel(ReadOnlySpan<byte> data, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.String: return Encoding.UTF8.GetString(data);
            case SqlTypeKind.Bytes: return data.ToArray();
            default:
                var position = 0;
                return ReadValue(data, ref position, type);
        }
    }

    private static object ReadComplex(ReadOnlySpan<byte> data, ref int position, SqlType type)
    {
        var count = ReadCount(data, ref position);
        switch (type)
        {
            case ArrayType array:
                var items = new object?[count];
                for (var i = 0; i < count; i++)
                    items[i] = ReadNullable(data, ref position, array.Element);
                return new SqlArray(items);
            case MapType map:
                var keys = new object?[count];
                var values = new object?[count];
                for (var i = 0; i < count; i++)
                {
                    keys[i] = ReadNullable(data, ref position, map.Key);
                    values[i] = ReadNullable(data, ref position, map.Value);
                }
                return new SqlMap(keys, values);
            case StructType structType:
                var fields = new object?[structType.Fields.Count];
                for (var i = 0; i < count; i++)
                {
                    var field = ReadNullable(data, ref position, i < fields.Length ? structType.Fields[i].Type
                        : throw Corrupt());
                    fields[i] = field;
                }
                return new SqlStruct(fields);
            default:
                throw Corrupt();
        }
    }

    private static object? ReadNullable(ReadOnlySpan<byte> data, ref int position, SqlType type)
    {
        var flag = Need(data[position..], 1)[0];
        position++;
        return flag == 0 ? null : ReadValue(data, ref position, type);
    }

    private static int ReadCount(ReadOnlySpan<byte> data, ref int position)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(Need(data[position..], 4));
        position += 4;
        if (count < 0 || count > data.Length - position)
            throw Corrupt();
        return count;
    }

    private static ReadOnlySpan<byte> ReadLengthPrefixed(ReadOnlySpan<byte> data, out int used)
    {
        var position = 0;
        var length = ReadCount(data, ref position);
        used = 4 + length;
        return data.Slice(4, length);
    }

    private static ReadOnlySpan<byte> Need(ReadOnlySpan<byte> data, int length) =>
        data.Length >= length ? data[..length] : throw Corrupt();

    internal static SqlException Corrupt() =>
        new(SqlState.DataCorrupted, "row value is malformed (truncated or wrong type)");
}
