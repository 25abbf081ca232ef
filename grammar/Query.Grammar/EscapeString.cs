using System.Globalization;
using System.Text;

namespace Query.Grammar;

/// <summary>
/// PostgreSQL's escape strings (<c>E'...'</c>): <c>\b \f \n \r \t</c>, octal <c>\o</c>..<c>\ooo</c>, hex
/// <c>\xh</c> / <c>\xhh</c>, <c>\uXXXX</c>, <c>\UXXXXXXXX</c>, a backslash before any other character stands for
/// that character, and <c>''</c> is a quote.
/// </summary>
internal static class EscapeString
{
    /// <summary>The text between the quotes, decoded; null for a malformed escape.</summary>
    public static string? Decode(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '\'')
            {
                i++;   // the lexer only lets '' through: one quote
                builder.Append('\'');
                continue;
            }
            if (c != '\\' || i >= text.Length)
            {
                builder.Append(c);
                continue;
            }
            if (!TryEscape(text, ref i, builder))
                return null;
        }
        return builder.ToString();
    }

    private static bool TryEscape(ReadOnlySpan<char> text, ref int i, StringBuilder builder)
    {
        var c = text[i++];
        switch (c)
        {
            case 'b': builder.Append('\b'); return true;
            case 'f': builder.Append('\f'); return true;
            case 'n': builder.Append('\n'); return true;
            case 'r': builder.Append('\r'); return true;
            case 't': builder.Append('\t'); return true;
            case 'x': return AppendCode(text, ref i, 1, 2, 16, builder);
            case 'u': return AppendCode(text, ref i, 4, 4, 16, builder);
            case 'U': return AppendCode(text, ref i, 8, 8, 16, builder);
            case >= '0' and <= '7':
                i--;
                return AppendCode(text, ref i, 1, 3, 8, builder);
            default: builder.Append(c); return true;
        }
    }

    private static bool AppendCode(ReadOnlySpan<char> text, ref int i, int minDigits, int maxDigits, int radix,
        StringBuilder builder)
    {
        var start = i;
        while (i < text.Length && i - start < maxDigits && IsDigit(text[i], radix))
            i++;
        if (i - start < minDigits)
            return false;
        var code = radix == 16
            ? int.Parse(text[start..i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : Octal(text[start..i]);
        if (code is 0 or > 0x10FFFF || (code is >= 0xD800 and <= 0xDFFF))
            return false;
        builder.Append(char.ConvertFromUtf32(code));
        return true;
    }

    private static int Octal(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var d in digits)
            value = (value * 8) + (d - '0');
        return value;
    }

    private static bool IsDigit(char c, int radix) => radix == 16 ? char.IsAsciiHexDigit(c) : c is >= '0' and <= '7';
}
