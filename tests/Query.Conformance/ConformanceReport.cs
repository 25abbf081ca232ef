using System.Text;

namespace Query.Conformance;

/// <summary>Counts per file and per failure category, printed as the Markdown tables README.md shows.</summary>
public sealed class ConformanceReport(IReadOnlyList<CaseOutcome> outcomes)
{
    public IReadOnlyList<CaseOutcome> Outcomes { get; } = outcomes;

    public int Count(Verdict verdict) => Outcomes.Count(o => o.Verdict == verdict);

    public int Passes(string file) => Outcomes.Count(o => o.Case.File == file && o.Verdict == Verdict.Pass);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| file | cases | not applicable | pass | intended difference | fail |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var file in Outcomes.GroupBy(o => o.Case.File).OrderBy(g => g.Key, StringComparer.Ordinal))
            AppendRow(text, file.Key, [.. file]);
        AppendRow(text, "**total**", Outcomes);
        text.AppendLine();
        text.AppendLine("| failure category | cases |");
        text.AppendLine("|---|---:|");
        foreach (var category in Outcomes.Where(o => o.Verdict == Verdict.Fail).GroupBy(o => o.Category)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
            text.AppendLine($"| {category.Key} | {category.Count()} |");
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string name, IReadOnlyList<CaseOutcome> outcomes)
    {
        int Of(Verdict v) => outcomes.Count(o => o.Verdict == v);
        text.AppendLine($"| {name} | {outcomes.Count} | {Of(Verdict.NotApplicable)} | {Of(Verdict.Pass)} | "
            + $"{Of(Verdict.IntendedDifference)} | {Of(Verdict.Fail)} |");
    }

    /// <summary>One line per case; not-applicable cases (schema registry formats, disabled, test-only UDFs) only
    /// with <paramref name="withNotApplicable"/>.</summary>
    public string Details(bool withNotApplicable = false)
    {
        var text = new StringBuilder();
        foreach (var outcome in Outcomes.Where(o => withNotApplicable || o.Verdict != Verdict.NotApplicable))
        {
            text.AppendLine($"{outcome.Verdict} [{outcome.Category}] {outcome.Case.File} :: {outcome.Case.Name}"
                + (outcome.Detail.Length > 0 ? $" -- {outcome.Detail.ReplaceLineEndings(" ")}" : ""));
        }
        return text.ToString();
    }
}
