using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Query.Engine.Errors;

namespace Query.Engine.Execution;

/// <summary>
/// SQL LIKE compiled once per pattern: <c>%</c> any run, <c>_</c> one character, an optional escape character.
/// Patterns without wildcards become an ordinal equality; "prefix%" / "%suffix" / "%infix%" avoid regex.
/// </summary>
public sealed class LikeMatcher
{
    private static readonly ConcurrentDictionary<(string, char?), LikeMatcher> Cache = new();

    private readonly Regex? _regex;
    private readonly string _literal;
    private readonly Kind _kind;

    private enum Kind
    {
        Exact,
        Prefix,
        Suffix,
        Contains,
        Regex,
    }

    public LikeMatcher(string pattern, char? escape)
    {
        var (literal, kind) = Simplify(pattern, escape);
        _literal = literal;
        _kind = kind;
        if (kind == Kind.Regex)
            _regex = new Regex(ToRegex(pattern, escape), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    public bool IsMatch(string value) => _kind switch
    {
        Kind.Exact => string.Equals(value, _literal, StringComparison.Ordinal),
        Kind.Prefix => value.StartsWith(_literal, StringComparison.Ordinal),
        Kind.Suffix => value.EndsWith(_literal, StringComparison.Ordinal),
        Kind.Contains => value.Contains(_literal, StringComparison.Ordinal),
        _ => _regex!.IsMatch(value),
    };

    /// <summary>For patterns that are not constants (cached per distinct pattern).</summary>
    public static bool Match(string value, string pattern, string? escape)
    {
        char? escapeChar = string.IsNullOrEmpty(escape) ? null : escape[0];
        if (Cache.Count > 1024)
            Cache.Clear();
        return Cache.GetOrAdd((pattern, escapeChar), key => new LikeMatcher(key.Item1, key.Item2)).IsMatch(value);
    }

    private static (string Literal, Kind Kind) Simplify(string pattern, char? escape)
    {
        if (escape is not null || pattern.Contains('_'))
            return ("", Kind.Regex);
        var inner = pattern.Trim('%');
        if (inner.Contains('%'))
            return ("", Kind.Regex);
        var leading = pattern.StartsWith('%');
        var trailing = pattern.Length > 1 && pattern.EndsWith('%');
        if (pattern == "%")
            return ("", Kind.Prefix);
        return (leading, trailing) switch
        {
            (false, false) => (inner, Kind.Exact),
            (false, true) => (inner, Kind.Prefix),
            (true, false) => (inner, Kind.Suffix),
            _ => (inner, Kind.Contains),
        };
    }

    private static string ToRegex(string pattern, char? escape)
    {
        var builder = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (escape is not null && c == escape)
            {
                if (++i >= pattern.Length)
                    throw new SqlException("22025", "LIKE pattern must not end with escape character");
                builder.Append(Regex.Escape(pattern[i].ToString()));
            }
            else if (c == '%')
            {
                builder.Append(".*");
            }
            else if (c == '_')
            {
                builder.Append('.');
            }
            else
            {
                builder.Append(Regex.Escape(c.ToString()));
            }
        }
        return builder.Append('$').ToString();
    }
}
