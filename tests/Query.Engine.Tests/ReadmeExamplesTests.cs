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
                if (statement is Grammar.Ast.QueryStatement { Query.Emit: Grammar.Ast.EmitKind.Changes })
                    await ReadPushQueryAsync(db, text);
                else
                    await db.ExecAsync(text).WaitAsync(StatementTimeout);
            }
            catch (Errors.SqlException e)
            {
                Assert.Fail($"README example failed: {text}\n{e.SqlState}: {e.Message}");
            }
            catch (TimeoutException)
            {
                Assert.Fail($"README example did not answer within {StatementTimeout}: {text}");
            }
        }
    }

    private static readonly TimeSpan StatementTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A push query runs until it is canceled (unless it has a LIMIT): read what it gives for a
    /// moment, then cancel it; a cancel is its normal end, any other error fails the example.</summary>
    private static async Task ReadPushQueryAsync(EngineFixture db, string text)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await using var result = await db.Session.ExecuteAsync(text, cancel.Token);
            await EngineFixture.ReadAllAsync(result.Rows!, cancellationToken: cancel.Token);
        }
        catch (Errors.SqlException e) when (e.SqlState == Errors.SqlState.QueryCanceled
            && cancel.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
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
