using System.Text.RegularExpressions;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// ksqlDB's REGEXP_ functions (pattern first for the EXTRACT pair, as in ksqlDB). Matching goes through
/// RegexMatching (non-backtracking where the pattern allows); the split, which needs ExplicitCapture, runs with a
/// one-second timeout (57014). A bad pattern is 2201B (see EngineSession).
/// </summary>
public static class RegexFunctions
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    // Through RegexMatching: linear-time (non-backtracking) where the pattern allows, compiled once per pattern.
    private static Match First(string pattern, string value) => Binding.RegexMatching.Get(pattern).Match(value);

    public static string? RegexpExtract(string pattern, string value) => RegexpExtract(pattern, value, 0);

    /// <summary>The first match, or its capture group; NULL when there is no match or no such group.</summary>
    public static string? RegexpExtract(string pattern, string value, int group)
    {
        var match = First(pattern, value);
        return match.Success && group >= 0 && group < match.Groups.Count && match.Groups[group].Success
            ? match.Groups[group].Value : null;
    }

    public static SqlArray? RegexpExtractAll(string pattern, string value) => RegexpExtractAll(pattern, value, 0);

    /// <summary>Every match (or a group of every match) in order; an unmatched group adds NULL.</summary>
    public static SqlArray? RegexpExtractAll(string pattern, string value, int group)
    {
        var items = new List<object?>();
        for (var match = First(pattern, value); match.Success; match = match.NextMatch())
        {
            if (group < 0 || group >= match.Groups.Count)
                return null;
            items.Add(match.Groups[group].Success ? match.Groups[group].Value : null);
        }
        return new SqlArray([.. items]);
    }

    public static string RegexpReplace(string value, string pattern, string replacement) =>
        Binding.RegexMatching.Get(pattern).Replace(value, replacement);

    /// <summary>Splits around matches; an empty pattern splits every character; empty pieces are kept.</summary>
    public static SqlArray RegexpSplitToArray(string value, string pattern)
    {
        if (pattern.Length == 0)
            return StringFunctions.Split(value, "");
        // ExplicitCapture: Java's split does not add captured groups to the pieces, and neither do we.
        var parts = Regex.Split(value, pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
            MatchTimeout);
        return new SqlArray(Array.ConvertAll(parts, part => (object?)part));
    }
}
