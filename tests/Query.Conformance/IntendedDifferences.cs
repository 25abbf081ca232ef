namespace Query.Conformance;

/// <summary>
/// intended-differences.txt: one line per case where we answer differently from ksqlDB on purpose,
/// <c>file | case name | reason</c> (<c>#</c> starts a comment). Such a case is reported as an intended
/// difference when it does not pass, never as a pass. One line per case keeps merges of parallel work easy.
/// </summary>
public sealed class IntendedDifferences
{
    private readonly Dictionary<(string File, string Name), string> _reasons = [];

    public static IntendedDifferences Load(string path)
    {
        var differences = new IntendedDifferences();
        if (!File.Exists(path))
            return differences;
        foreach (var line in File.ReadAllLines(path))
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
                continue;
            var parts = text.Split('|', 3, StringSplitOptions.TrimEntries);
            if (parts.Length != 3 || parts[2].Length == 0)
                throw new FormatException($"{path}: expected 'file | case name | reason': {line}");
            differences._reasons[(parts[0], parts[1])] = parts[2];
        }
        return differences;
    }

    public int Count => _reasons.Count;

    public string? ReasonFor(QttCase c) =>
        _reasons.TryGetValue((c.File, c.Name), out var reason) ? reason : null;

    /// <summary>
    /// Names are compared case-insensitively, an intended difference applied to every case: ksqlDB folds unquoted
    /// names to upper case, we fold them to lower case as PostgreSQL does (a stream created as <c>out</c> has the
    /// topic <c>OUTPUT</c> in ksqlDB and the log <c>out</c> here). Exact spelling wins when both exist.
    /// </summary>
    public static bool SameName(string actual, string? expected) =>
        string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A result column name: case-insensitive, and ksqlDB's generated <c>KSQL_COL_n</c> matches whatever name we
    /// give an unnamed expression there (PostgreSQL's <c>?column?</c>, a function's name), position by position.
    /// </summary>
    public static bool SameColumnName(string expected, string actual) =>
        SameName(actual, expected)
        || (expected.StartsWith("KSQL_COL_", StringComparison.Ordinal) && actual.Length > 0);

    public CaseOutcome Apply(CaseOutcome outcome) =>
        outcome.Verdict == Verdict.Fail && ReasonFor(outcome.Case) is { } reason
            ? outcome with { Verdict = Verdict.IntendedDifference, Category = reason }
            : outcome;
}
