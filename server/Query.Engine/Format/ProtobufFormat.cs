using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Query.Engine.Types;

namespace Query.Engine.Format;

/// <summary>
/// ksqlDB's PROTOBUF_NOSR value format: the value columns as one protobuf (proto3) message with no schema registry
/// framing. Field n + 1 is value column n, as ksqlDB numbers the schema it derives from the columns; a STRUCT is a
/// nested message numbered the same way, an ARRAY a repeated field (packed for numbers and booleans), a MAP repeated
/// key (1) / value (2) entries, DECIMAL confluent.type.Decimal (big-endian unscaled bytes, precision, scale),
/// TIMESTAMP google.protobuf.Timestamp, DATE google.type.Date, TIME google.type.TimeOfDay.
/// proto3 has no NULL for scalars: a NULL is not written and reads back as the type's default (0, false, '' and
/// an empty array or map), as in ksqlDB; an absent STRUCT, DECIMAL or time value reads back as NULL.
/// </summary>
internal static class ProtobufFormat
{
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;
    private const int MaxDepth = 100;

    /// <summary>Writes the message whose field i + 1 is <paramref name="values"/>[i] of <paramref name="types"/>[i].
    /// </summary>
    public static void WriteMessage(IBufferWriter<byte> writer, ReadOnlySpan<object?> values,
        ReadOnlySpan<SqlType> types, int depth = 0)
    {
        if (depth > MaxDepth)
            throw NestedValueCodec.Corrupt();
        for (var i = 0; i < values.Length; i++)
            WriteField(writer, i + 1, values[i], types[i], depth);
    }

    private static void WriteField(IBufferWriter<byte> writer, int field, object? value, SqlType type, int depth)
    {
        if (value is null)
            return;
        switch (type)
        {
            case ArrayType array:
                WriteRepeated(writer, field, (SqlArray)value, array.Element, depth);
                return;
            case MapType map:
                var entries = (SqlMap)value;
                for (var i = 0; i < entries.Count; i++)
                {
                    var entry = new ArrayBufferWriter<byte>();
                    WriteField(entry, 1, entries.Keys[i], map.Key, depth + 1);
                    WriteField(entry, 2, entries.Values[i], map.Value, depth + 1);
                    WriteBytes(writer, field, entry.WrittenSpan);
                }
                return;
        }
        if (IsPackable(type))
        {
            WriteTag(writer, field, type.Kind == SqlTypeKind.Double ? Fixed64 : Varint);
            WriteScalar(writer, value, type);
            return;
        }
        WriteBytes(writer, field, LengthDelimitedBytes(value, type, depth));
    }

    private static void WriteRepeated(IBufferWriter<byte> writer, int field, SqlArray array, SqlType element,
        int depth)
    {
        if (IsPackable(element))
        {
            var packed = new ArrayBufferWriter<byte>();
            foreach (var item in array.Items)
                WriteScalar(packed, item ?? Default(element), element);
            if (packed.WrittenCount > 0)
                WriteBytes(writer, field, packed.WrittenSpan);
            return;
        }
        foreach (var item in array.Items)
            WriteBytes(writer, field, item is null ? [] : LengthDelimitedBytes(item, element, depth));
    }

    private static object Default(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => (object)false,
        SqlTypeKind.Int => (object)0,
        SqlTypeKind.Double => (object)0.0,
        _ => (object)0L,
    };

    private static bool IsPackable(SqlType type) =>
        type.Kind is SqlTypeKind.Boolean or SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Double;

    private static void WriteScalar(IBufferWriter<byte> writer, object value, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(writer.GetSpan(8), (double)value);
                writer.Advance(8);
                break;
            case SqlTypeKind.Boolean:
                WriteVarint(writer, (bool)value ? 1UL : 0UL);
                break;
            case SqlTypeKind.Int:
                WriteVarint(writer, unchecked((ulong)(long)(int)value));
                break;
            default:
                WriteVarint(writer, unchecked((ulong)(long)value));
                break;
        }
    }

    /// <summary>The bytes of a length-delimited value: text, bytes, or a nested message.</summary>
    private static ReadOnlySpan<byte> LengthDelimitedBytes(object value, SqlType type, int depth)
    {
        switch (type)
        {
            case { Kind: SqlTypeKind.String }:
                return Encoding.UTF8.GetBytes((string)value);
            case { Kind: SqlTypeKind.Bytes }:
                return (byte[])value;
        }
        var message = new ArrayBufferWriter<byte>();
        switch (type)
        {
            case StructType structType:
                var fields = ((SqlStruct)value).Fields;
                for (var i = 0; i < structType.Fields.Count; i++)
                    WriteField(message, i + 1, fields[i], structType.Fields[i].Type, depth + 1);
                break;
            case DecimalType decimalType when value is WideDecimal wide:
                WriteUnscaled(message, WideDecimal.ToBigInteger(wide.ToPrecision(decimalType.Precision,
                    decimalType.Scale)), decimalType);
                break;
            case DecimalType decimalType:
                WriteDecimal(message, (decimal)value, decimalType);
                break;
            case { Kind: SqlTypeKind.Timestamp }:
                var ms = (long)value;
                WriteVarintField(message, 1, Math.DivRem(ms, 1000L, out var rest) - (rest < 0 ? 1 : 0));
                WriteVarintField(message, 2, (((rest % 1000) + 1000) % 1000) * 1_000_000L);
                break;
            case { Kind: SqlTypeKind.Date }:
                var date = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)value);
                WriteVarintField(message, 1, date.Year);
                WriteVarintField(message, 2, date.Month);
                WriteVarintField(message, 3, date.Day);
                break;
            case { Kind: SqlTypeKind.Time }:
                var time = TimeOnly.FromTimeSpan(TimeSpan.FromMilliseconds((int)value));
                WriteVarintField(message, 1, time.Hour);
                WriteVarintField(message, 2, time.Minute);
                WriteVarintField(message, 3, time.Second);
                WriteVarintField(message, 4, time.Millisecond * 1_000_000L);
                break;
            default:
                throw new InvalidOperationException($"PROTOBUF_NOSR cannot hold {type}");
        }
        return message.WrittenSpan;
    }

    private static void WriteDecimal(IBufferWriter<byte> writer, decimal value, DecimalType type)
    {
        // decimal's own 96-bit integer and scale, brought to the column's scale (no overflow at 28 digits).
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(decimal.Round(value, type.Scale), bits);
        var unscaled = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32)
            | (new BigInteger((uint)bits[2]) << 64);
        if (bits[3] < 0)
            unscaled = -unscaled;
        unscaled *= BigInteger.Pow(10, type.Scale - ((bits[3] >> 16) & 0xFF));
        WriteUnscaled(writer, unscaled, type);
    }

    /// <summary>confluent.type.Decimal: the unscaled value at the column's scale, its precision and scale.
    /// </summary>
    private static void WriteUnscaled(IBufferWriter<byte> writer, BigInteger unscaled, DecimalType type)
    {
        WriteBytes(writer, 1, unscaled.ToByteArray(isUnsigned: false, isBigEndian: true));
        WriteVarintField(writer, 2, type.Precision);
        WriteVarintField(writer, 3, type.Scale);
    }

    private static decimal Pow10(int scale)
    {
        var result = 1m;
        for (var i = 0; i < scale; i++)
            result *= 10m;
        return result;
    }

    private static void WriteVarintField(IBufferWriter<byte> writer, int field, long value)
    {
        if (value == 0)
            return;
        WriteTag(writer, field, Varint);
        WriteVarint(writer, unchecked((ulong)value));
    }

    private static void WriteBytes(IBufferWriter<byte> writer, int field, ReadOnlySpan<byte> bytes)
    {
        WriteTag(writer, field, LengthDelimited);
        WriteVarint(writer, (ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteTag(IBufferWriter<byte> writer, int field, int wireType) =>
        WriteVarint(writer, ((ulong)field << 3) | (uint)wireType);

    private static void WriteVarint(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[length++] = (byte)value;
        writer.Advance(length);
    }

    /// <summary>Reads a message into one value per field 1..<paramref name="types"/>.Length (unknown fields are
    /// skipped, absent ones take proto3's defaults).</summary>
    public static void ReadMessage(ReadOnlySpan<byte> data, ReadOnlySpan<SqlType> types, Span<object?> values,
        int depth = 0)
    {
        if (depth > MaxDepth)
            throw NestedValueCodec.Corrupt();
        var lists = new List<object?>?[types.Length];
        var position = 0;
        while (position < data.Length)
        {
            var tag = ReadVarint(data, ref position);
            var field = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            if (field < 1 || field > types.Length)
            {
                Skip(data, ref position, wireType);
                continue;
            }
            var type = types[field - 1];
            if (type is ArrayType or MapType)
                ReadRepeated(data, ref position, wireType, type, lists[field - 1] ??= [], depth);
            else
                values[field - 1] = ReadSingle(data, ref position, wireType, type, depth);
        }
        for (var i = 0; i < types.Length; i++)
        {
            if (types[i] is ArrayType)
                values[i] = new SqlArray([.. lists[i] ?? []]);
            else if (types[i] is MapType)
                values[i] = MapOf(lists[i]);
            else
                values[i] ??= DefaultOf(types[i]);
        }
    }

    /// <summary>proto3's value of an absent field: 0, false, '' or empty bytes; NULL for a message.</summary>
    private static object? DefaultOf(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => (object)false,
        SqlTypeKind.Int => (object)0,
        SqlTypeKind.BigInt => (object)0L,
        SqlTypeKind.Double => (object)0.0,
        SqlTypeKind.String => "",
        SqlTypeKind.Bytes => Array.Empty<byte>(),
        _ => null,
    };

    private static SqlMap MapOf(List<object?>? entries)
    {
        entries ??= [];
        var keys = new object?[entries.Count];
        var values = new object?[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var pair = (object?[])entries[i]!;
            (keys[i], values[i]) = (pair[0], pair[1]);
        }
        return new SqlMap(keys, values);
    }

    private static void ReadRepeated(ReadOnlySpan<byte> data, ref int position, int wireType, SqlType type,
        List<object?> items, int depth)
    {
        if (type is MapType map)
        {
            var entry = new object?[2];
            ReadMessage(LengthPrefixed(data, ref position, wireType), [map.Key, map.Value], entry, depth + 1);
            items.Add(entry);
            return;
        }
        var element = ((ArrayType)type).Element;
        if (IsPackable(element) && wireType == LengthDelimited)
        {
            var packed = LengthPrefixed(data, ref position, wireType);
            var at = 0;
            while (at < packed.Length)
                items.Add(ReadScalar(packed, ref at, element));
            return;
        }
        items.Add(ReadSingle(data, ref position, wireType, element, depth));
    }

    private static object? ReadSingle(ReadOnlySpan<byte> data, ref int position, int wireType, SqlType type,
        int depth)
    {
        if (IsPackable(type))
        {
            if (wireType != (type.Kind == SqlTypeKind.Double ? Fixed64 : Varint))
                throw NestedValueCodec.Corrupt();
            return ReadScalar(data, ref position, type);
        }
        var bytes = LengthPrefixed(data, ref position, wireType);
        switch (type)
        {
            case { Kind: SqlTypeKind.String }:
                return Encoding.UTF8.GetString(bytes);
            case { Kind: SqlTypeKind.Bytes }:
                return bytes.ToArray();
            case StructType structType:
                var fieldTypes = new SqlType[structType.Fields.Count];
                for (var i = 0; i < fieldTypes.Length; i++)
                    fieldTypes[i] = structType.Fields[i].Type;
                var fields = new object?[fieldTypes.Length];
                ReadMessage(bytes, fieldTypes, fields, depth + 1);
                return new SqlStruct(fields);
            case DecimalType decimalType:
                return ReadDecimal(bytes, decimalType);
        }
        var parts = new long[4];
        var at = 0;
        while (at < bytes.Length)
        {
            var tag = ReadVarint(bytes, ref at);
            var field = (int)(tag >> 3);
            if (field is >= 1 and <= 4 && (tag & 7) == Varint)
                parts[field - 1] = unchecked((long)ReadVarint(bytes, ref at));
            else
                Skip(bytes, ref at, (int)(tag & 7));
        }
        // Each arm boxed as its own type (a switch would widen the INT arms to the BIGINT one).
        return type.Kind switch
        {
            SqlTypeKind.Timestamp => (object)checked((parts[0] * 1000L) + ((int)parts[1] / 1_000_000)),
            SqlTypeKind.Date => (object)(new DateOnly((int)parts[0], (int)parts[1], (int)parts[2]).DayNumber
                - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber),
            SqlTypeKind.Time => (object)(int)((((((parts[0] * 60) + parts[1]) * 60) + parts[2]) * 1000)
                + (parts[3] / 1_000_000)),
            _ => throw NestedValueCodec.Corrupt(),
        };
    }

    private static object ReadDecimal(ReadOnlySpan<byte> message, DecimalType type)
    {
        var unscaled = BigInteger.Zero;
        var scale = 0L;
        var at = 0;
        while (at < message.Length)
        {
            var tag = ReadVarint(message, ref at);
            switch ((int)(tag >> 3), (int)(tag & 7))
            {
                case (1, LengthDelimited):
                    unscaled = new BigInteger(LengthPrefixed(message, ref at, LengthDelimited), isUnsigned: false,
                        isBigEndian: true);
                    break;
                case (3, Varint):
                    scale = (long)ReadVarint(message, ref at);
                    break;
                default:
                    Skip(message, ref at, (int)(tag & 7));
                    break;
            }
        }
        if (type.IsWide)
        {
            if (scale is < 0 or > WideDecimal.MaxDigits)
                throw NestedValueCodec.Corrupt();
            return WideDecimal.FromBig(unscaled, (int)scale, type.Precision, type.Scale);
        }
        if (scale is < 0 or > 28)
            throw NestedValueCodec.Corrupt();
        return decimal.Round((decimal)unscaled / Pow10((int)scale), type.Scale);
    }

    private static object ReadScalar(ReadOnlySpan<byte> data, ref int position, SqlType type)
    {
        if (type.Kind == SqlTypeKind.Double)
        {
            if (data.Length - position < 8)
                throw NestedValueCodec.Corrupt();
            var value = BinaryPrimitives.ReadDoubleLittleEndian(data[position..]);
            position += 8;
            return value;
        }
        var bits = ReadVarint(data, ref position);
        return type.Kind switch
        {
            SqlTypeKind.Boolean => (object)(bits != 0),
            SqlTypeKind.Int => (object)unchecked((int)bits),
            _ => (object)unchecked((long)bits),
        };
    }

    private static ReadOnlySpan<byte> LengthPrefixed(ReadOnlySpan<byte> data, ref int position, int wireType)
    {
        if (wireType != LengthDelimited)
            throw NestedValueCodec.Corrupt();
        var length = ReadVarint(data, ref position);
        if (length > (ulong)(data.Length - position))
            throw NestedValueCodec.Corrupt();
        var bytes = data.Slice(position, (int)length);
        position += (int)length;
        return bytes;
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int position, int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint(data, ref position);
                break;
            case Fixed64 or Fixed32:
                var width = wireType == Fixed64 ? 8 : 4;
                if (data.Length - position < width)
                    throw NestedValueCodec.Corrupt();
                position += width;
                break;
            case LengthDelimited:
                LengthPrefixed(data, ref position, wireType);
                break;
            default:
                throw NestedValueCodec.Corrupt();
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
                throw NestedValueCodec.Corrupt();
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw NestedValueCodec.Corrupt();
    }
}
