namespace Query.Testing;

/// <summary>
/// The team's reference notes beside the checkout (<c>../shared/reference/</c>): what PostgreSQL clients send,
/// captured from PostgreSQL 15. Tests read the SQL from there when the folder exists, never from a copy in the
/// repository; without it they have nothing to check and say so.
/// </summary>
public static class SharedReference
{
    /// <summary>The path of <paramref name="fileName"/> in the shared reference folder, or null without it.</summary>
    public static string? Find(string fileName)
    {
        var path = System.IO.Path.GetFullPath(
            System.IO.Path.Combine(RepositoryRoot.Path, "..", "shared", "reference", fileName));
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Every <c>```sql</c> block of a markdown file after its first section heading (what precedes it is set-up
    /// prose), with the heading it sits under, the bold line that introduces it (protocol and parameters) and the
    /// result column names of a following <c>Returns (N cols): name type, ...</c> line.
    /// </summary>
    public static IReadOnlyList<ReferenceSql> SqlBlocks(string markdownPath)
    {
        var blocks = new List<ReferenceSql>();
        var lines = File.ReadAllLines(markdownPath);
        string section = "", heading = "", intro = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("## ", StringComparison.Ordinal))
                (section, heading) = (line[3..], line[3..]);
            else if (line.StartsWith("### ", StringComparison.Ordinal))
                heading = section + " / " + line[4..];
            else if (line.StartsWith("**", StringComparison.Ordinal))
                intro = line;
            else if (line == "```sql" && section.Length > 0)
            {
                var end = Array.IndexOf(lines, "```", i + 1);
                if (end < 0)
                    break;
                var sql = string.Join('\n', lines[(i + 1)..end]);
                blocks.Add(new ReferenceSql(heading, intro, sql, ColumnsAfter(lines, end + 1)));
                (i, intro) = (end, "");
            }
        }
        return blocks;
    }

    /// <summary>The column names of a <c>Returns (N cols): ...</c> line right after a block (blank lines aside).</summary>
    private static string[]? ColumnsAfter(string[] lines, int index)
    {
        while (index < lines.Length && lines[index].Length == 0)
            index++;
        const string Prefix = "Returns (";
        if (index >= lines.Length || !lines[index].StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var list = lines[index][(lines[index].IndexOf("): ", StringComparison.Ordinal) + 3)..];
        var items = list.Split(", ");
        var names = new string[items.Length];
        for (var i = 0; i < items.Length; i++)
            names[i] = items[i][..items[i].LastIndexOf(' ')];
        return names;
    }
}

/// <summary>One SQL block of a reference note: where it is, how it was sent, the text, the answer's columns.</summary>
public sealed record ReferenceSql(string Heading, string Intro, string Sql, string[]? Columns)
{
    /// <summary>Whether the text has bind parameters (<c>$1</c> ...), whose values only a client supplies.</summary>
    public bool HasParameters
    {
        get
        {
            for (var i = 0; i + 1 < Sql.Length; i++)
            {
                if (Sql[i] == '$' && char.IsAsciiDigit(Sql[i + 1]) && (i == 0 || !char.IsLetterOrDigit(Sql[i - 1])))
                    return true;
            }
            return false;
        }
    }

    public override string ToString() => Heading;
}
