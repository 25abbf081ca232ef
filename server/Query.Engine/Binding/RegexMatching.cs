using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Query.Engine.Binding;

/// <summary>
/// Regular expressions for PostgreSQL's <c>~</c> operators and the REGEXP_* functions, compiled once per pattern.
/// </summary>
/// <remarks>
/// .NET's non-backtracking engine runs in time linear in the input, so a pattern such as <c>(a+)+b</c> cannot keep
/// a core busy between two checks for cancellation. It lacks backreferences and lookaround; a pattern that needs
/// them falls back to the backtracking engine with a timeout (57014 when it expires).
/// </remarks>
public static class RegexMatching
{
    private const int MaxCachedPatterns = 256;

    private static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(100);

    private static readonly ConcurrentDictionary<(string Pattern, bool IgnoreCase), Regex> Cache = new();

    public static bool IsMatch(string value, string pattern) => Get(pattern).IsMatch(value);

    public static bool IsMatchIgnoreCase(string value, string pattern) => Get(pattern, ignoreCase: true).IsMatch(value);

    /// <summary>
    /// The compiled expression for <paramref name="pattern"/>; throws ArgumentException when invalid.
    /// </summary>
    public static Regex Get(string pattern, bool ignoreCase = false)
    {
        if (Cache.TryGetValue((pattern, ignoreCase), out var cached))
            return cached;
        if (Cache.Count >= MaxCachedPatterns)
            Cache.Clear();
        return Cache.GetOrAdd((pattern, ignoreCase), static key => Create(key.Pattern, key.IgnoreCase));
    }

    private static Regex Create(string pattern, bool ignoreCase)
    {
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, options, BacktrackingTimeout);
        }
    }
}
