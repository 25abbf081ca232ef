namespace Query.Engine.Binding;

/// <summary>PostgreSQL's <c>~</c> operators.</summary>
public static class RegexMatching
{
    public static bool IsMatch(string value, string pattern) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, pattern,
            System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static bool IsMatchIgnoreCase(string value, string pattern) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, pattern,
            System.Text.RegularExpressions.RegexOptions.CultureInvariant
            | System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
}
