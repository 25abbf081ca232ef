using System.Buffers.Binary;
using System.Text;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// BYTES functions and the text encodings ksqlDB names ('hex', 'utf8', 'ascii', 'base64', any case). An
/// unknown encoding is 22023; text that is not valid in its encoding is 22P02.
/// </summary>
public static class BytesFunctions
{
    public static byte[] ToBytes(string text, string encoding) => Decode(text, encoding);

    public static string FromBytes(byte[] value, string encoding) => Encode(value, encoding);

    /// <summary>ENCODE(text, from, to): reads text in one encoding and writes the same bytes in another.</summary>
    public static string Recode(string text, string inputEncoding, string outputEncoding) =>
        Encode(Decode(text, inputEncoding), outputEncoding);

    public static int Len(byte[] value) => value.Length;

    public static byte[] Substring(byte[] value, int position) => Substring(value, position, int.MaxValue);

    public static byte[] Substring(byte[] value, int position, int length)
    {
        var start = position > 0 ? position - 1 : position < 0 ? Math.Max(0, value.Length + position) : 0;
        if (start >= value.Length || length <= 0)
            return [];
        return value.AsSpan(start, (int)Math.Min(length, (long)value.Length - start)).ToArray();
    }

    /// <summary>CONCAT of BYTES skips NULLs, as CONCAT of strings does.</summary>
    public static byte[] Concat(byte[]?[] values) => Join(null, values);

    public static byte[]? ConcatWs(byte[]? separator, byte[]?[] values) =>
        separator is null ? null : Join(separator, values);

    private static byte[] Join(byte[]? separator, byte[]?[] values)
    {
        long length = 0;
        var count = 0;
        foreach (var value in values)
        {
            if (value is null)
                continue;
            length += value.Length + (count++ > 0 ? separator?.Length ?? 0 : 0);
        }
        var result = ResultAllocation.Bytes(length);
        var at = 0;
        count = 0;
        foreach (var value in values)
        {
            if (value is null)
                continue;
            if (count++ > 0 && separator is not null)
                at += Copy(separator, result, at);
            at += Copy(value, result, at);
        }
        return result;
    }

    private static int Copy(byte[] source, byte[] target, int at)
    {
        source.CopyTo(target, at);
        return source.Length;
    }

    public static byte[]? LPad(byte[] value, int length, byte[] padding) => Pad(value, length, padding, left: true);

    public static byte[]? RPad(byte[] value, int length, byte[] padding) => Pad(value, length, padding, left: false);

    private static byte[]? Pad(byte[] value, int length, byte[] padding, bool left)
    {
        if (length < 0 || (padding.Length == 0 && length > value.Length))
            return null;
        if (length <= value.Length)
            return value.AsSpan(0, length).ToArray();
        var result = ResultAllocation.Bytes(length);
        var fill = length - value.Length;
        value.CopyTo(result, left ? fill : 0);
        var start = left ? 0 : value.Length;
        for (var i = 0; i < fill; i++)
            result[start + i] = padding[i % padding.Length];
        return result;
    }

    public static SqlArray Split(byte[] value, byte[] delimiter)
    {
        var parts = new List<object?>();
        if (delimiter.Length == 0 && value.Length > 0)
        {
            foreach (var b in value)
                parts.Add(new[] { b });
            return new SqlArray([.. parts]);
        }
        var rest = value.AsSpan();
        while (true)
        {
            var at = rest.IndexOf(delimiter);
            if (at < 0)
                break;
            parts.Add(rest[..at].ToArray());
            rest = rest[(at + delimiter.Length)..];
        }
        parts.Add(rest.ToArray());
        return new SqlArray([.. parts]);
    }

    public static int? IntFromBytes(byte[] value) => IntFromBytes(value, "BIG_ENDIAN");

    public static int? IntFromBytes(byte[] value, string byteOrder) =>
        value.Length != 4 || Order(byteOrder) is not { } big ? null
        : big ? BinaryPrimitives.ReadInt32BigEndian(value) : BinaryPrimitives.ReadInt32LittleEndian(value);

    public static long? BigIntFromBytes(byte[] value) => BigIntFromBytes(value, "BIG_ENDIAN");

    public static long? BigIntFromBytes(byte[] value, string byteOrder) =>
        value.Length != 8 || Order(byteOrder) is not { } big ? null
            : big ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value);

    public static double? DoubleFromBytes(byte[] value) => DoubleFromBytes(value, "BIG_ENDIAN");

    public static double? DoubleFromBytes(byte[] value, string byteOrder) =>
        value.Length != 8 || Order(byteOrder) is not { } big ? null
            : big ? BinaryPrimitives.ReadDoubleBigEndian(value) : BinaryPrimitives.ReadDoubleLittleEndian(value);

    /// <summary>True for big-endian, false for little-endian, null (so the result is NULL) for anything else.</summary>
    private static bool? Order(string byteOrder) => byteOrder.ToUpperInvariant() switch
    {
        "BIG_ENDIAN" => true,
        "LITTLE_ENDIAN" => false,
        _ => null,
    };

    public static byte[] Decode(string text, string encoding)
    {
        try
        {
            return Normalize(encoding) switch
            {
                "HEX" => Convert.FromHexString(StripHexPrefix(text)),
                "UTF8" => Encoding.UTF8.GetBytes(text),
                "ASCII" => Encoding.ASCII.GetBytes(text),
                _ => Convert.FromBase64String(text),
            };
        }
        catch (FormatException)
        {
            throw new SqlException(SqlState.InvalidTextRepresentation,
                $"\"{text}\" is not valid {encoding.ToLowerInvariant()} text");
        }
    }

    public static string Encode(byte[] value, string encoding) => Normalize(encoding) switch
    {
        "HEX" => Convert.ToHexString(value),
        "UTF8" => Encoding.UTF8.GetString(value),
        "ASCII" => Encoding.ASCII.GetString(value),
        _ => Convert.ToBase64String(value),
    };

    private static string Normalize(string encoding)
    {
        var name = encoding.ToUpperInvariant().Replace("-", "", StringComparison.Ordinal);
        return name is "HEX" or "UTF8" or "ASCII" or "BASE64"
            ? name
            : throw new SqlException(SqlState.InvalidParameterValue,
                $"encoding \"{encoding}\" is not supported; use hex, utf8, ascii or base64");
    }

    /// <summary>Hex output is upper case (as ksqlDB's); input may be either case, and may carry
    /// a 0x prefix or X'...' quoting; an odd digit count gets a leading 0.</summary>
    private static string StripHexPrefix(string text)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            text = text[2..];
        else if (text.Length >= 3 && text[0] is 'x' or 'X' && text[1] == '\'' && text[^1] == '\'')
            text = text[2..^1];
        return text.Length % 2 == 1 ? "0" + text : text;
    }
}
