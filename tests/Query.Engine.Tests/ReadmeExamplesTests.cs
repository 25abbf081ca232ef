using System.Text.RegularExpressions;
using Query.Grammar;
using Query.Testing;

namespace Query.Engine.Tests;

/// <summary>Every <c>```sql</c> block of README.md runs, statement by statement, on a fresh engine.</summary>
public sealed partial class ReadmeExamplesTests
{
    public static TheoryData<int> Blocks()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < SqlBlocks().Count; i++)
            data.Add(i);
        return data;
    }

    [Fact]
    public void The_readme_has_sql_examples() => Assert.NotEmpty(SqlBlocks());

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task Every_statement_of_the_block_runs(int block)
    {
        var sql = SqlBlocks()[block];
        await using var db = new EngineFixture();
        foreach (var statement in SqlParser.Parse(sql))
        {
            var text = sql.Substring(statement.Span.Start, statement.Span.Length);
            try
            {
                await db.ExecAsync(text);
            }
            catch (Errors.SqlException e)
            {
                Assert.Fail($"README example failed: {text}\n{e.SqlState}: {e.Message}");
            }
        }
    }

    private static List<string> SqlBlocks()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var blocks = new List<string>();
        foreach (Match match in SqlBlock().Matches(readme))
            blocks.Add(match.Groups[1].Value);
        return blocks;
    }

    [GeneratedRegex("```sql\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}
