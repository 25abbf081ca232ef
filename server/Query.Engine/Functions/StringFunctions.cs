using System.Text;
using Query.Engine.Errors;
using Query.Engine.Limits;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>ksqlDB's string functions. Positions are 1-based as in ksqlDB and PostgreSQL.</summary>
public static class StringFunctions
{
    public static int Len(string value) => value.Length;

    public static string Upper(string value) => value.ToUpperInvariant();

    public static string Lower(string value) => value.ToLowerInvariant();

    public static string Trim(string value) => value.Trim();

    public static string LTrim(string value) => value.TrimStart();

    public static string RTrim(string value) => value.TrimEnd();

    public static string Reverse(string value)
    {
        var chars = value.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }

    /// <summary>MD5(s): ksqlDB's and PostgreSQL's md5, the hex digest of the UTF-8 bytes in lower case.</summary>
#pragma warning disable CA5351 // MD5 is what the SQL function computes (a checksum), not a security measure.
    public static string Md5(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
#pragma warning restore CA5351

    /// <summary>SUBSTRING(s, pos): from pos (1-based; negative counts from the end) to the end.</summary>
    public static string Substring(string value, int position) => Substring(value, position, int.MaxValue);

    public static string Substring(string value, int position, int length)
    {
        var start = position > 0 ? position - 1 : position < 0 ? Math.Max(0, value.Length + position) : 0;
        if (start >= value.Length || length <= 0)
            return "";
        return value.Substring(start, (int)Math.Min(length, (long)value.Length - start));
    }

    /// <summary>CONCAT ignores NULL arguments, as PostgreSQL's concat() does.</summary>
    public static string Concat(string?[] values)
    {
        ValueSizeLimits.CheckString(TotalLength(values, 0));
        return string.Concat(values);
    }

    private static long TotalLength(string?[] values, int separatorLength)
    {
        long total = 0;
        var count = 0;
        foreach (var value in values)
        {
            if (value is null)
                continue;
            total += value.Length;
            count++;
        }
        return total + (long)separatorLength * Math.Max(0, count - 1);
    }

    public static string? ConcatWs(string? separator, string?[] values)
    {
        if (separator is null)
            return null;
        ValueSizeLimits.CheckString(TotalLength(values, separator.Length));
        var builder = new StringBuilder();
        foreach (var value in values)
        {
            if (value is null)
                continue;
            if (builder.Length > 0)
                builder.Append(separator);
            builder.Append(value);
        }
        return builder.ToString();
    }

    public static string Replace(string value, string search, string replacement)
    {
        if (search.Length == 0)
            return value;
        if (replacement.Length > search.Length)
        {
            long count = 0;
            for (var at = value.IndexOf(search, StringComparison.Ordinal); at >= 0;
                at = value.IndexOf(search, at + search.Length, StringComparison.Ordinal))
                count++;
            ValueSizeLimits.CheckString(value.Length + count * (replacement.Length - search.Length));
        }
        return value.Replace(search, replacement, StringComparison.Ordinal);
    }

    public static int Instr(string value, string search) => value.IndexOf(search, StringComparison.Ordinal) + 1;

    public static int Instr(string value, string search, int position) => Instr(value, search, position, 1);

    /// <summary>
    /// INSTR(s, sub, position, occurrence): the 1-based start of the n-th occurrence, searching forward from a
    /// positive position or backward from a negative one (counted from the end); 0 when there is none.
    /// </summary>
    public static int Instr(string value, string search, int position, int occurrence)
    {
        if (position == 0 || occurrence <= 0)
            return 0;
        var backward = position < 0;
        var at = backward ? value.Length + position : position - 1;
        for (var found = 0; at >= 0 && at <= value.Length; at += backward ? -1 : 1)
        {
            at = backward
                ? LastIndexAtOrBefore(value, search, at)
                : value.IndexOf(search, at, StringComparison.Ordinal);
            if (at < 0)
                return 0;
            if (++found == occurrence)
                return at + 1;
        }
        return 0;
    }

    private static int LastIndexAtOrBefore(string value, string search, int start)
    {
        for (var i = Math.Min(start, value.Length - search.Length); i >= 0; i--)
        {
            if (string.CompareOrdinal(value, i, search, 0, search.Length) == 0)
                return i;
        }
        return -1;
    }

    public static string? LPad(string value, int length, string padding) => Pad(value, length, padding, left: true);

    public static string? RPad(string value, int length, string padding) => Pad(value, length, padding, left: false);

    private static string? Pad(string value, int length, string padding, bool left)
    {
        if (length < 0 || (padding.Length == 0 && length > value.Length))
            return null;
        if (length <= value.Length)
            return value[..length];
        var builder = ResultAllocation.Text(length);
        var fill = length - value.Length;
        if (!left)
            builder.Append(value);
        for (var i = 0; i < fill; i++)
            builder.Append(padding[i % padding.Length]);
        if (left)
            builder.Append(value);
        return builder.ToString();
    }

    public static string InitCap(string value)
    {
        var builder = new StringBuilder(value.Length);
        var startOfWord = true;
        foreach (var c in value)
        {
            builder.Append(startOfWord ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            startOfWord = char.IsWhiteSpace(c);
        }
        return builder.ToString();
    }

    public static SqlArray Split(string value, string delimiter)
    {
        if (delimiter.Length == 0 && value.Length > 0)
        {
            var chars = new object?[value.Length];
            for (var i = 0; i < value.Length; i++)
                chars[i] = value[i].ToString();
            return new SqlArray(chars);
        }
        var parts = value.Split(delimiter);
        return new SqlArray(Array.ConvertAll(parts, part => (object?)part));
    }

    /// <summary>
    /// CHR(n): the character with that code point; 22023 for 0, negatives, surrogates and past U+10FFFF.
    /// </summary>
    public static string Chr(int code)
    {
        if (code is <= 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
            throw new SqlException(SqlState.InvalidParameterValue,
                code == 0 ? "null character not permitted" : $"requested character {code} is not a valid code point");
        return char.ConvertFromUtf32(code);
    }

    public static int Ascii(string value) => value.Length == 0 ? 0 : char.ConvertToUtf32(value, 0);

    public static string Repeat(string value, int count) =>
        count <= 0 ? "" : ResultAllocation.Text((long)value.Length * count).Insert(0, value, count).ToString();

    /// <summary>CHR('\\u004b') reads a UTF-16 escape; anything that is not one code point is NULL.</summary>
    public static string? ChrText(string code)
    {
        if (code.Length == 6 && code.StartsWith("\\u", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(code.AsSpan(2), System.Globalization.NumberStyles.HexNumber,
                System.Globalization.CultureInfo.InvariantCulture, out var unit))
            return ((char)unit).ToString();
        return null;
    }

    /// <summary>SPLIT_TO_MAP('a=1/b=2', '/', '='): later keys win; entries without the delimiter are skipped.</summary>
    public static SqlMap? SplitToMap(string value, string entryDelimiter, string keyValueDelimiter)
    {
        if (entryDelimiter.Length == 0 || keyValueDelimiter.Length == 0)
            return null;
        var keys = new List<object?>();
        var values = new List<object?>();
        foreach (var entry in value.Split(entryDelimiter))
        {
            var at = entry.IndexOf(keyValueDelimiter, StringComparison.Ordinal);
            if (at < 0)
                continue;
            var key = entry[..at];
            var index = keys.IndexOf(key);
            if (index >= 0)
                values[index] = entry[(at + keyValueDelimiter.Length)..];
            else
            {
                keys.Add(key);
                values.Add(entry[(at + keyValueDelimiter.Length)..]);
            }
        }
        return new SqlMap([.. keys], [.. values]);
    }
}
