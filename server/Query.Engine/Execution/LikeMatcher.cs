using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Query.Engine.Errors;

namespace Query.Engine.Execution;

/// <summary>
/// SQL LIKE compiled once per pattern: <c>%</c> any run, <c>_</c> one character, an optional escape character.
/// </summary>
/// <remarks>
/// Never backtracks: the pattern is cut at its <c>%</c>s into segments; the first and last are anchored to the
/// ends of the value, and each middle one is placed at its leftmost match after the previous one (leftmost is
/// always safe, since a later placement only leaves less room for what follows). So a match costs at most the
/// value's length times the pattern's, and <c>'%a%a%a%a%a%a%b'</c> over 5,000 <c>a</c>s is a few scans, not the
/// exponential search a regex engine does. Matching is compiled optimized at once: a scan calls it per record
/// (see ScanSource).
/// </remarks>
public sealed class LikeMatcher
{
    private static readonly ConcurrentDictionary<(string, char?), LikeMatcher> Cache = new();

    // Text between %s; AnyChar marks the positions of '_' (any one character), null when there are none.
    private readonly Segment[] _segments;
    private readonly bool _anchoredStart;
    private readonly bool _anchoredEnd;

    private readonly record struct Segment(string Text, bool[]? AnyChar)
    {
        public int Length => Text.Length;
    }

    public LikeMatcher(string pattern, char? escape)
    {
        var segments = new List<Segment>();
        var text = new StringBuilder();
        var anyChar = new List<bool>();
        var sawPercent = false;
        _anchoredStart = pattern.Length == 0 || pattern[0] != '%';
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (escape is not null && c == escape)
            {
                if (++i >= pattern.Length)
                    throw new SqlException(SqlState.InvalidEscapeSequence,
                        "LIKE pattern must not end with escape character");
                Add(text, anyChar, pattern[i], any: false);
            }
            else if (c == '%')
            {
                sawPercent = true;
                if (text.Length > 0 || segments.Count == 0)
                    segments.Add(Take(text, anyChar));
            }
            else
            {
                Add(text, anyChar, c, any: c == '_');
            }
        }
        // Text after the last % (an escaped % is text) anchors the end.
        _anchoredEnd = !sawPercent || text.Length > 0;
        segments.Add(Take(text, anyChar));
        _segments = [.. segments];
    }

    private static void Add(StringBuilder text, List<bool> anyChar, char c, bool any)
    {
        text.Append(any ? '\0' : c);
        anyChar.Add(any);
    }

    private static Segment Take(StringBuilder text, List<bool> anyChar)
    {
        var segment = new Segment(text.ToString(), anyChar.Contains(true) ? [.. anyChar] : null);
        text.Clear();
        anyChar.Clear();
        return segment;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsMatch(string value)
    {
        var segments = _segments;
        if (segments.Length == 1 && _anchoredStart && _anchoredEnd)
            return value.Length == segments[0].Length && MatchesAt(value, 0, segments[0]);
        var position = 0;
        var first = 0;
        var last = segments.Length - 1;
        if (_anchoredStart)
        {
            if (!MatchesAt(value, 0, segments[0]))
                return false;
            position = segments[0].Length;
            first = 1;
        }
        var end = value.Length;
        if (_anchoredEnd)
        {
            var tail = segments[last];
            end = value.Length - tail.Length;
            if (end < position || !MatchesAt(value, end, tail))
                return false;
            last--;
        }
        for (var i = first; i <= last; i++)
        {
            var found = IndexOf(value, position, end, segments[i]);
            if (found < 0)
                return false;
            position = found + segments[i].Length;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool MatchesAt(string value, int start, Segment segment)
    {
        if (start < 0 || start + segment.Length > value.Length)
            return false;
        if (segment.AnyChar is null)
            return value.AsSpan(start, segment.Length).SequenceEqual(segment.Text);
        for (var i = 0; i < segment.Length; i++)
        {
            if (!segment.AnyChar[i] && value[start + i] != segment.Text[i])
                return false;
        }
        return true;
    }

    /// <summary>Leftmost start in [from, end - length] where the segment matches, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int IndexOf(string value, int from, int end, Segment segment)
    {
        if (segment.Length == 0)
            return from <= end ? from : -1;
        if (segment.AnyChar is null)
        {
            var found = value.AsSpan(from, Math.Max(0, end - from)).IndexOf(segment.Text, StringComparison.Ordinal);
            return found < 0 ? -1 : from + found;
        }
        for (var start = from; start + segment.Length <= end; start++)
        {
            if (MatchesAt(value, start, segment))
                return start;
        }
        return -1;
    }

    /// <summary>For patterns that are not constants (cached per distinct pattern).</summary>
    public static bool Match(string value, string pattern, string? escape)
    {
        char? escapeChar = string.IsNullOrEmpty(escape) ? null : escape[0];
        if (Cache.Count > 1024)
            Cache.Clear();
        return Cache.GetOrAdd((pattern, escapeChar), key => new LikeMatcher(key.Item1, key.Item2)).IsMatch(value);
    }
}
