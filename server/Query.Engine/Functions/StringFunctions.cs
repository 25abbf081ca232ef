using System.Text;
using System.Text.RegularExpressions;
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
    public static string Concat(string?[] values) => string.Concat(values);

    public static string? ConcatWs(string? separator, string?[] values)
    {
        if (separator is null)
            return null;
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

    public static string Replace(string value, string search, string replacement) =>
        search.Length == 0 ? value : value.Replace(search, replacement, StringComparison.Ordinal);

    public static int Instr(string value, string search) => value.IndexOf(search, StringComparison.Ordinal) + 1;

    public static string? LPad(string value, int length, string padding) => Pad(value, length, padding, left: true);

    public static string? RPad(string value, int length, string padding) => Pad(value, length, padding, left: false);

    private static string? Pad(string value, int length, string padding, bool left)
    {
        if (length < 0 || (padding.Length == 0 && length > value.Length))
            return null;
        if (length <= value.Length)
            return value[..length];
        var builder = new StringBuilder(length);
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
        if (delimiter.Length == 0)
        {
            var chars = new object?[value.Length];
            for (var i = 0; i < value.Length; i++)
                chars[i] = value[i].ToString();
            return new SqlArray(chars);
        }
        var parts = value.Split(delimiter);
        return new SqlArray(Array.ConvertAll(parts, part => (object?)part));
    }

    public static string? RegexpExtract(string pattern, string value) => RegexpExtract(pattern, value, 0);

    public static string? RegexpExtract(string pattern, string value, int group)
    {
        var match = Regex.Match(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success && group < match.Groups.Count && match.Groups[group].Success
            ? match.Groups[group].Value : null;
    }

    public static string RegexpReplace(string value, string pattern, string replacement) =>
        Regex.Replace(value, pattern, replacement, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static string Chr(int code) => char.ConvertFromUtf32(code);

    public static int Ascii(string value) => value.Length == 0 ? 0 : char.ConvertToUtf32(value, 0);

    public static string Repeat(string value, int count) =>
        count <= 0 ? "" : new StringBuilder(value.Length * count).Insert(0, value, count).ToString();
}
