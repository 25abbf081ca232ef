using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Query.PgWire.Types;

/// <summary>PostgreSQL input syntax for the less common types, and the boxed decode path.</summary>
internal static class PgTextValues
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd"];

    public static long ParseTimestamp(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            return long.MaxValue;
        if (trimmed.Equals("-infinity", StringComparison.OrdinalIgnoreCase))
            return long.MinValue;
        // PostgreSQL prints offsets as +05 or +05:30; .NET wants the minutes.
        if (trimmed.Length > 3 && trimmed[^3] is '+' or '-' && char.IsAsciiDigit(trimmed[^1]) && trimmed.Contains(':'))
            trimmed += ":00";
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return PgTime.ToUnixMicros(value.UtcDateTime);
        throw PgValues.Invalid("timestamp", text);
    }

    public static int ParseDate(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            return int.MaxValue;
        if (trimmed.Equals("-infinity", StringComparison.OrdinalIgnoreCase))
            return int.MinValue;
        return DateOnly.TryParseExact(trimmed, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None,
            out var d)
            ? d.DayNumber - 719_162
            : throw PgValues.Invalid("date", text);
    }

    /// <summary>Postgres-style intervals: <c>1 year 2 mons 3 days 04:05:06.5</c>, also plain <c>hh:mm:ss</c>.</summary>
    public static (long Micros, int Days, int Months) ParseInterval(string text)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long micros = 0;
        int days = 0, months = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Contains(':'))
            {
                bool negative = part.StartsWith('-');
                var clock = part.TrimStart('-', '+');
                var pieces = clock.Split(':');
                if (pieces.Length is < 2 or > 3 || !long.TryParse(pieces[0], CultureInfo.InvariantCulture, out var h) ||
                    !long.TryParse(pieces[1], CultureInfo.InvariantCulture, out var m))
                    throw PgValues.Invalid("interval", text);
                decimal s = 0;
                if (pieces.Length == 3 && !decimal.TryParse(pieces[2], CultureInfo.InvariantCulture, out s))
                    throw PgValues.Invalid("interval", text);
                long value = (h * 3600 + m * 60) * 1_000_000 + (long)(s * 1_000_000);
                micros += negative ? -value : value;
                continue;
            }
            if (i + 1 >= parts.Length || !decimal.TryParse(part, CultureInfo.InvariantCulture, out var amount))
                throw PgValues.Invalid("interval", text);
            var unit = parts[++i].ToLowerInvariant().TrimEnd('s');
            switch (unit)
            {
                case "year": months += (int)(amount * 12); break;
                case "mon" or "month": months += (int)amount; break;
                case "week": days += (int)(amount * 7); break;
                case "day": days += (int)amount; break;
                case "hour": micros += (long)(amount * 3_600_000_000); break;
                case "min" or "minute": micros += (long)(amount * 60_000_000); break;
                case "sec" or "second": micros += (long)(amount * 1_000_000); break;
                default: throw PgValues.Invalid("interval", text);
            }
        }
        return (micros, days, months);
    }

    /// <summary>Classic escape format: <c>\\</c> and <c>\ooo</c> octal.</summary>
    public static byte[] UnescapeBytea(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var result = new List<byte>(bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\\')
            {
                result.Add(bytes[i]);
            }
            else if (i + 1 < bytes.Length && bytes[i + 1] == (byte)'\\')
            {
                result.Add((byte)'\\');
                i++;
            }
            else if (i + 3 < bytes.Length + 0 && IsOctal(bytes[i + 1]) && IsOctal(bytes[i + 2]) && IsOctal(bytes[i
                + 3]))
            {
                result.Add((byte)(((bytes[i + 1] - '0') << 6) | ((bytes[i + 2] - '0') << 3) | (bytes[i + 3] - '0')));
                i += 3;
            }
            else
            {
                throw PgValues.Invalid("bytea", text);
            }
        }
        return [.. result];
    }

    /// <summary>A numeric parameter as System.Decimal, or as its exact text when it has more digits than
    /// System.Decimal holds (decimal parsing would round them away; the engine parses the text into its
    /// 38-digit DECIMAL).</summary>
    private static object NumericValue(PgValues values, int index)
    {
        if (values.IsBinary(index) && values.TypeOid(index) != PgTypeOid.Numeric)
            return values.GetDecimal(index);
        string text = values.GetNumericText(index);
        int digits = 0;
        foreach (char c in text)
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        if (digits <= 28)
            return values.GetDecimal(index);
        // Some 29-digit values fit System.Decimal exactly (its maximum is 79228162514264337593543950335).
        string trimmed = text.Trim();
        return decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal exact)
            && exact.ToString(CultureInfo.InvariantCulture) == trimmed ? exact : trimmed;
    }

    public static object? GetValue(PgValues values, int index)
    {
        if (values.IsNull(index))
            return null;
        int oid = values.TypeOid(index);
        return oid switch
        {
            PgTypeOid.Bool => values.GetBoolean(index),
            PgTypeOid.Int2 => (short)values.GetInt64(index),
            PgTypeOid.Int4 => values.GetInt32(index),
            PgTypeOid.Int8 => values.GetInt64(index),
            PgTypeOid.Oid => (uint)values.GetInt64(index),
            PgTypeOid.Float4 => (float)values.GetDouble(index),
            PgTypeOid.Float8 => values.GetDouble(index),
            PgTypeOid.Numeric => NumericValue(values, index),
            PgTypeOid.Bytea => values.GetBytes(index),
            PgTypeOid.Uuid => values.GetGuid(index),
            PgTypeOid.Timestamp => DateTime.SpecifyKind(PgTime.FromUnixMicros(values.GetTimestampMicros(index)),
                DateTimeKind.Unspecified),
            PgTypeOid.TimestampTz => PgTime.FromUnixMicros(values.GetTimestampMicros(index)),
            PgTypeOid.Date => DateOnly.FromDayNumber(values.GetDateDays(index) + 719_162),
            PgTypeOid.Time => new TimeOnly(values.GetTimeMicros(index) * 10),
            PgTypeOid.Interval => IntervalToTimeSpan(values.GetInterval(index)),
            _ when PgTypeTable.ElementOf(oid) != 0 => GetArray(values, index, PgTypeTable.ElementOf(oid)),
            _ => values.GetString(index),
        };
    }

    private static TimeSpan IntervalToTimeSpan((long Micros, int Days, int Months) value) =>
        TimeSpan.FromTicks(value.Micros * 10) + TimeSpan.FromDays(value.Days + value.Months * 30L);

    /// <summary>PostgreSQL's MAXDIM: arrays of more dimensions are refused (54000), as PostgreSQL does.</summary>
    private const int MaxArrayDimensions = 6;

    /// <summary>An array value as nested <c>object?[]</c> (one level per dimension) of element values.</summary>
    private static object?[] GetArray(PgValues values, int index, int elementOid)
    {
        var elements = new PgValues();
        Span<int> dimensions = stackalloc int[MaxArrayDimensions];
        int rank = 1;
        if (values.IsBinary(index))
            rank = ReadBinaryArray(values.GetRaw(index), elements, elementOid, dimensions);
        else
            ReadTextArray(values.GetString(index), elements, elementOid);
        if (rank == 1)
            dimensions[0] = elements.Count;
        int next = 0;
        return Nest(elements, dimensions[..rank], ref next);
    }

    private static object?[] Nest(PgValues elements, ReadOnlySpan<int> dimensions, ref int next)
    {
        var result = new object?[dimensions.Length == 0 ? 0 : dimensions[0]];
        for (int i = 0; i < result.Length; i++)
            result[i] = dimensions.Length > 1 ? Nest(elements, dimensions[1..], ref next) : GetValue(elements, next++);
        return result;
    }

    /// <summary>
    /// The binary array format: ndim, has-null flag, element OID, (size, lower bound) per dimension, then each
    /// element as length + bytes in row-major order. Returns the number of dimensions (0 for an empty array).
    /// </summary>
    private static int ReadBinaryArray(ReadOnlySpan<byte> raw, PgValues elements, int elementOid,
        Span<int> dimensions)
    {
        if (raw.Length < 12)
            throw new PgException(PgSqlState.InvalidBinaryRepresentation, "invalid array binary value");
        int rank = BinaryPrimitives.ReadInt32BigEndian(raw);
        if (rank < 0 || rank > MaxArrayDimensions)
            throw new PgException(PgSqlState.ProgramLimitExceeded,
                $"number of array dimensions ({rank}) exceeds the maximum allowed ({MaxArrayDimensions})");
        int sentOid = BinaryPrimitives.ReadInt32BigEndian(raw[8..]);
        if (sentOid != 0 && PgTypeTable.TryGet(sentOid, out _))
            elementOid = sentOid;   // the element type the client encoded decides how the bytes read
        if (raw.Length < 12 + 8 * rank)
            throw new PgException(PgSqlState.InvalidBinaryRepresentation, "invalid array binary value");
        long count = rank == 0 ? 0 : 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(raw[(12 + 8 * d)..]);
            count *= dimensions[d];
            if (dimensions[d] < 0 || count > raw.Length / 4)
                throw new PgException(PgSqlState.InvalidBinaryRepresentation, "invalid array length");
        }
        elements.Reset((int)count);
        int at = 12 + 8 * rank;
        for (int i = 0; i < count; i++)
        {
            if (at + 4 > raw.Length)
                throw new PgException(PgSqlState.InvalidBinaryRepresentation, "truncated array value");
            int length = BinaryPrimitives.ReadInt32BigEndian(raw[at..]);
            at += 4;
            if (length > raw.Length - at)
                throw new PgException(PgSqlState.InvalidBinaryRepresentation, "truncated array value");
            elements.Set(i, length < 0 ? default : raw.Slice(at, length), length < 0, binary: true, elementOid);
            at += Math.Max(length, 0);
        }
        return rank == 0 ? 1 : rank;
    }

    private static void ReadTextArray(string text, PgValues elements, int elementOid)
    {
        var items = PgArrayText.Split(text);
        elements.Reset(items.Count);
        for (int i = 0; i < items.Count; i++)
            elements.Set(i, items[i] is null ? default : Encoding.UTF8.GetBytes(items[i]!), items[i] is null, false,
                elementOid);
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
