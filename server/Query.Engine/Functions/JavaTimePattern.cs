using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Query.Engine.Functions;

/// <summary>
/// Java's DateTimeFormatter patterns (what ksqlDB's time functions and TIMESTAMP_FORMAT take) as .NET custom
/// formats: S→f, a→tt, E→ddd, u→d, quoted text and <c>''</c> kept as literals. Zones: for parsing, X / x / Z accept
/// <c>Z</c>, <c>+hh</c>, <c>+hhmm</c> and <c>+hh:mm</c>; for formatting, the zone's text at that instant is written as
/// Java writes it: z its abbreviation (<c>PDT</c>), zzzz its name, X <c>Z</c> or <c>+hh</c> (XX <c>+hhmm</c>, XXX
/// <c>+hh:mm</c>), x the same without <c>Z</c>, Z <c>+hhmm</c>.
/// </summary>
internal static partial class JavaTimePattern
{
    /// <summary>The .NET format to parse text in <paramref name="java"/>'s pattern (zones read by <c>K</c>).</summary>
    public static string ForParse(string java) => Convert(java, static (_, _) => "K");

    /// <summary>Whether the pattern reads a zone offset (the text then needs <see cref="NormalizeOffset"/>).</summary>
    public static bool HasOffset(string java) => Convert(java, static (_, _) => "\u0001").Contains('\u0001');

    /// <summary>
    /// Rewrites a trailing <c>+hhmm</c> or <c>+hh</c> offset as <c>+hh:mm</c>, the form .NET's <c>K</c> reads.
    /// </summary>
    public static string NormalizeOffset(string text)
    {
        var match = TrailingOffset().Match(text);
        if (!match.Success)
            return text;
        var minutes = match.Groups[3].Success ? match.Groups[3].Value : "00";
        return text[..match.Index] + match.Groups[1].Value + match.Groups[2].Value + ":" + minutes;
    }

    /// <summary>The .NET format that writes <paramref name="utc"/>, seen in <paramref name="zone"/>, as the Java
    /// pattern does (the zone text computed here and written as a literal).</summary>
    public static string ForFormat(string java, DateTime utc, TimeZoneInfo zone) =>
        Convert(java, (letter, count) => Escape(ZoneText(letter, count, utc, zone)));

    private static string Convert(string java, Func<char, int, string> zone)
    {
        var builder = new StringBuilder(java.Length + 4);
        for (var i = 0; i < java.Length; i++)
        {
            var c = java[i];
            if (c == '\'')
            {
                i = AppendQuoted(java, i, builder);
                continue;
            }
            var count = 1;
            while (i + 1 < java.Length && java[i + 1] == c && char.IsAsciiLetter(c))
            {
                i++;
                count++;
            }
            builder.Append(c switch
            {
                'X' or 'x' or 'Z' or 'z' => zone(c, count),
                'S' => new string('f', Math.Min(count, 7)),
                'a' => "tt",
                'E' => count >= 4 ? "dddd" : "ddd",
                'u' => "d",
                _ when char.IsAsciiLetter(c) => new string(c, count),
                _ => Escape(c.ToString()),
            });
        }
        return builder.Length == 1 ? "%" + builder : builder.ToString();
    }

    /// <summary>A quoted literal starting at <paramref name="start"/>; <c>''</c> is one quote, in or out of quotes.
    /// Returns the index of the closing quote.</summary>
    private static int AppendQuoted(string java, int start, StringBuilder builder)
    {
        if (start + 1 < java.Length && java[start + 1] == '\'')
        {
            builder.Append("\\'");
            return start + 1;
        }
        var i = start + 1;
        for (; i < java.Length; i++)
        {
            if (java[i] != '\'')
            {
                builder.Append(Escape(java[i].ToString()));
                continue;
            }
            if (i + 1 < java.Length && java[i + 1] == '\'')
            {
                builder.Append("\\'");
                i++;
                continue;
            }
            break;
        }
        return i;
    }

    /// <summary>Literal text in a .NET custom format: letters and the format's own specials escaped; spaces and
    /// punctuation stay as they are (an escaped space would not match under AllowWhiteSpaces).</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            if (char.IsLetter(c) || c is '\\' or '%' or '"' or '\'')
                builder.Append('\\');
            builder.Append(c);
        }
        return builder.ToString();
    }

    private static string ZoneText(char letter, int count, DateTime utc, TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(utc);
        return letter switch
        {
            'z' => count >= 4 ? LongName(zone, utc) : Abbreviation(zone, utc, offset),
            'X' when offset == TimeSpan.Zero => "Z",
            'X' or 'x' => Offset(offset, minutes: count >= 2, colon: count >= 3),
            _ => count >= 5 ? (offset == TimeSpan.Zero ? "Z" : Offset(offset, true, true))
                : count == 4 ? "GMT" + (offset == TimeSpan.Zero ? "" : Offset(offset, true, true))
                : Offset(offset, minutes: true, colon: false),
        };
    }

    private static string Offset(TimeSpan offset, bool minutes, bool colon)
    {
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var value = offset.Duration();
        var text = sign + value.Hours.ToString("00", CultureInfo.InvariantCulture);
        if (minutes || value.Minutes != 0)
            text += (colon ? ":" : "") + value.Minutes.ToString("00", CultureInfo.InvariantCulture);
        return text;
    }

    /// <summary>The zone's abbreviation at that instant (the tz database's, as Java shows it: PST / PDT); a zone
    /// without one shows its offset as GMT+hh:mm, as Java does.</summary>
    private static string Abbreviation(TimeZoneInfo zone, DateTime utc, TimeSpan offset)
    {
        if (zone == TimeZoneInfo.Utc)
            return "UTC";
        var name = zone.IsDaylightSavingTime(utc) ? zone.DaylightName : zone.StandardName;
        if (name.Length is > 0 and <= 6 && !name.Contains(' ', StringComparison.Ordinal)
            && !name.StartsWith('+') && !name.StartsWith('-'))
            return name;
        return offset == TimeSpan.Zero ? "GMT" : "GMT" + Offset(offset, true, true);
    }

    private static string LongName(TimeZoneInfo zone, DateTime utc) =>
        zone == TimeZoneInfo.Utc ? "Coordinated Universal Time"
        : zone.IsDaylightSavingTime(utc) ? zone.DaylightName : zone.StandardName;

    [GeneratedRegex(@"([+-])(\d{2})(?::?(\d{2}))?$")]
    private static partial Regex TrailingOffset();
}
