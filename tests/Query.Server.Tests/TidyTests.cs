using Query.Testing;

namespace Query.Server.Tests;

/// <summary>
/// Repository hygiene, checked on every run (TigerBeetle's tidy): no stubs in product code, lines fit the
/// editor, files stay small enough to read. Generated code is exempt.
/// </summary>
public sealed class TidyTests
{
    private const int MaxLineColumns = 120;
    private const int MaxFileLines = 500;

    private static readonly string[] ProductFolders = ["grammar", "server", "storage", "tiering"];

    // Files allowed past MaxFileLines for now. This list only shrinks.
    private static readonly HashSet<string> LongFileAllowList = new(StringComparer.Ordinal);

    [Fact]
    public void Product_code_has_no_NotImplementedException()
    {
        var offenders = SourceFiles()
            .Where(f => File.ReadAllText(f).Contains("NotImplementedException", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Product_code_lines_fit_in_120_columns()
    {
        var offenders = new List<string>();
        foreach (var file in SourceFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > MaxLineColumns)
                    offenders.Add($"{Relative(file)}:{i + 1} ({lines[i].Length} columns)");
            }
        }
        Assert.Empty(offenders);
    }

    [Fact]
    public void Product_files_stay_under_500_lines()
    {
        var offenders = SourceFiles()
            .Where(f => !LongFileAllowList.Contains(Relative(f)) && File.ReadLines(f).Count() > MaxFileLines)
            .Select(Relative)
            .ToList();
        Assert.Empty(offenders);
    }

    private static IEnumerable<string> SourceFiles()
    {
        foreach (var folder in ProductFolders)
        {
            var root = Path.Combine(RepositoryRoot.Path, folder);
            if (!Directory.Exists(root))
                continue;
            foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Relative(file);
                if (relative.Contains("/Generated/", StringComparison.Ordinal)
                    || relative.Contains("/obj/", StringComparison.Ordinal)
                    || relative.Contains("/bin/", StringComparison.Ordinal))
                    continue;
                yield return file;
            }
        }
    }

    private static string Relative(string file) =>
        Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/');
}
