using System.Buffers.Binary;
using System.Globalization;

namespace Query.PgWire.Types;

/// <summary>
/// A row of values as the client sent them (Bind parameters or one COPY row): raw bytes plus format and type per
/// value, decoded on demand by the typed getters. The instance is reused; values are valid only during the call
/// that received it. Text values are parsed as PostgreSQL's input functions would (22P02 on bad input).
/// </summary>
public sealed class PgValues
{
    private byte[] _data = [];
    private int _used;
    private int[] _offsets = [];
    private int[] _lengths = [];
    private int[] _oids = [];
    private bool[] _binary = [];

    public static PgValues Empty { get; } = new();

    public int Count { get; private set; }

    public void Reset(int count)
    {
        if (count > _offsets.Length)
        {
            int size = Math.Max(count, _offsets.Length * 2);   // reused instances (COPY rows) grow once
            _offsets = new int[size];
            _lengths = new int[size];
            _oids = new int[size];
            _binary = new bool[size];
        }
        Count = count;
        _used = 0;
    }

    public void Set(int index, ReadOnlySpan<byte> value, bool isNull, bool binary, int typeOid)
    {
        _oids[index] = typeOid;
        _binary[index] = binary;
        if (isNull)
        {
            _lengths[index] = -1;
            return;
        }
        if (_data.Length - _used < value.Length)
        {
            var bigger = new byte[Math.Max(Math.Max(_data.Length * 2, _used + value.Length), 64)];
            _data.AsSpan(0, _used).CopyTo(bigger);
            _data = bigger;
        }
        value.CopyTo(_data.AsSpan(_used));
        _offsets[index] = _used;
        _lengths[index] = value.Length;
        _used += value.Length;
    }

    public bool IsNull(int index) => _lengths[index] < 0;

    public bool IsBinary(int index) => _binary[index];

    /// <summary>The declared or inferred type OID of the value.</summary>
    public int TypeOid(int index) => _oids[index];

    public ReadOnlySpan<byte> GetRaw(int index) =>
        _lengths[index] < 0 ? default : _data.AsSpan(_offsets[index], _lengths[index]);

    public string GetString(int index)
    {
        var raw = GetRaw(index);
        if (_binary[index] && _oids[index] == PgTypeOid.Jsonb && raw.Length > 0 && raw[0] == 1)
            raw = raw[1..];
        if (!_binary[index] || IsTextual(_oids[index]))
            return PgUtf8.Decode(raw);
        return FormatBinaryAsText(index);
    }

    public bool GetBoolean(int index)
    {
        var raw = GetRaw(index);
        if (_binary[index])
            return Fixed(raw, 1)[0] != 0;
        var text = PgUtf8.Decode(raw).Trim().ToLowerInvariant();
        return text switch
        {
            "t" or "true" or "yes" or "y" or "on" or "1" => true,
            "f" or "false" or "no" or "n" or "off" or "0" => false,
            _ => throw Invalid("boolean", text),
        };
    }

    public long GetInt64(int index)
    {
        var raw = GetRaw(index);
        if (!_binary[index])
            return long.TryParse(Trim(raw), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
                ? v : throw Invalid("bigint", PgUtf8.Decode(raw));
        return _oids[index] switch
        {
            PgTypeOid.Int2 => BinaryPrimitives.ReadInt16BigEndian(Fixed(raw, 2)),
            PgTypeOid.Int4 or PgTypeOid.Oid => BinaryPrimitives.ReadInt32BigEndian(Fixed(raw, 4)),
            PgTypeOid.Int8 => BinaryPrimitives.ReadInt64BigEndian(Fixed(raw, 8)),
            _ => checked((long)GetDecimal(index)),
        };
    }

    public int GetInt32(int index) => checked((int)GetInt64(index));

    public double GetDouble(int index)
    {
        var raw = GetRaw(index);
        if (!_binary[index])
        {
            var text = PgUtf8.Decode(raw).Trim();
            return text.ToLowerInvariant() switch
            {
                "infinity" or "inf" or "+infinity" => double.PositiveInfinity,
                "-infinity" or "-inf" => double.NegativeInfinity,
                "nan" => double.NaN,
                _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    ? v : throw Invalid("double precision", text),
            };
        }
        return _oids[index] switch
        {
            PgTypeOid.Float4 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32BigEndian(Fixed(raw, 4))),
            PgTypeOid.Float8 => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(Fixed(raw, 8))),
            PgTypeOid.Numeric => (double)GetDecimal(index),
            _ => GetInt64(index),
        };
    }

    /// <summary>A numeric value's exact text (binary numerics decoded).</summary>
    public string GetNumericText(int index) =>
        _binary[index] ? PgNumeric.ReadBinaryAsText(GetRaw(index)) : PgUtf8.Decode(GetRaw(index));

    public decimal GetDecimal(int index)
    {
        string text;
        if (_binary[index] && _oids[index] != PgTypeOid.Numeric)
            return _oids[index] is PgTypeOid.Float4 or PgTypeOid.Float8 ? (decimal)GetDouble(index) : GetInt64(index);
        text = _binary[index] ? PgNumeric.ReadBinaryAsText(GetRaw(index)) : PgUtf8.Decode(GetRaw(index));
        return decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value : throw Invalid("numeric", text);
    }

    public byte[] GetBytes(int index)
    {
        var raw = GetRaw(index);
        if (_binary[index])
            return raw.ToArray();
        var text = PgUtf8.Decode(raw);
        if (text.StartsWith("\\x", StringComparison.Ordinal))
        {
            try
            {
                return Convert.FromHexString(text.AsSpan(2));
            }
            catch (FormatException)
            {
                throw Invalid("bytea", text);
            }
        }
        return PgTextValues.UnescapeBytea(text);
    }

    public Guid GetGuid(int index)
    {
        var raw = GetRaw(index);
        if (_binary[index])
            return new Guid(Fixed(raw, 16), bigEndian: true);
        var text = PgUtf8.Decode(raw);
        return Guid.TryParse(text, out var value) ? value : throw Invalid("uuid", text);
    }

    /// <summary>timestamp/timestamptz as microseconds since the Unix epoch (UTC).</summary>
    public long GetTimestampMicros(int index)
    {
        var raw = GetRaw(index);
        if (_binary[index])
            return PgTime.PostgresToUnixMicros(BinaryPrimitives.ReadInt64BigEndian(Fixed(raw, 8)));
        return PgTextValues.ParseTimestamp(PgUtf8.Decode(raw));
    }

    /// <summary>date as days since 1970-01-01.</summary>
    public int GetDateDays(int index)
    {
        var raw = GetRaw(index);
        if (_binary[index])
            return PgTime.PostgresToUnixDays(BinaryPrimitives.ReadInt32BigEndian(Fixed(raw, 4)));
        return PgTextValues.ParseDate(PgUtf8.Decode(raw));
    }

    /// <summary>time as microseconds since midnight.</summary>
    public long GetTimeMicros(int index)
    {
        var raw = GetRaw(index);
        if (_binary[index])
            return BinaryPrimitives.ReadInt64BigEndian(Fixed(raw, 8));
        var text = PgUtf8.Decode(raw);
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t) ? t.Ticks / 10 : throw Invalid("time",
            text);
    }

    public (long Micros, int Days, int Months) GetInterval(int index)
    {
        var raw = GetRaw(index);
        if (_binary[index])
        {
            var span = Fixed(raw, 16);
            return (BinaryPrimitives.ReadInt64BigEndian(span), BinaryPrimitives.ReadInt32BigEndian(span[8..]),
                BinaryPrimitives.ReadInt32BigEndian(span[12..]));
        }
        return PgTextValues.ParseInterval(PgUtf8.Decode(raw));
    }

    /// <summary>The value as a CLR object by its type OID (boxes; for adapters that need objects).</summary>
    public object? GetValue(int index) => PgTextValues.GetValue(this, index);

    internal static bool IsTextual(int oid) => oid is PgTypeOid.Text or PgTypeOid.Varchar or PgTypeOid.Bpchar or
        PgTypeOid.Name or PgTypeOid.Json or PgTypeOid.Jsonb or PgTypeOid.Unknown or PgTypeOid.Unspecified or
        PgTypeOid.Char;

    internal static PgException Invalid(string type, string text) =>
        new(PgSqlState.InvalidTextRepresentation, $"invalid input syntax for type {type}: \"{text}\"");

    private string FormatBinaryAsText(int index) => _oids[index] switch
    {
        PgTypeOid.Bool => GetBoolean(index) ? "true" : "false",
        PgTypeOid.Int2 or PgTypeOid.Int4 or PgTypeOid.Int8 or PgTypeOid.Oid =>
            GetInt64(index).ToString(CultureInfo.InvariantCulture),
        PgTypeOid.Float4 or PgTypeOid.Float8 => GetDouble(index).ToString("R", CultureInfo.InvariantCulture),
        PgTypeOid.Numeric => PgNumeric.ReadBinaryAsText(GetRaw(index)),
        PgTypeOid.Uuid => GetGuid(index).ToString(),
        _ => PgUtf8.Decode(GetRaw(index)),
    };

    private static ReadOnlySpan<byte> Fixed(ReadOnlySpan<byte> raw, int length) => raw.Length == length
        ? raw
        : throw new PgException(PgSqlState.InvalidBinaryRepresentation,
            $"incorrect binary data format: expected {length} bytes, got {raw.Length}");

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> raw) => raw.Trim((byte)' ');
}
