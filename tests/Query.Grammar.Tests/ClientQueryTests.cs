using Query.Testing;
using Xunit.Abstractions;

namespace Query.Grammar.Tests;

/// <summary>
/// Statements real PostgreSQL clients send on their own (Npgsql's type loading, psql's describe commands, pgjdbc's
/// metadata, the introspection of pgcli, psycopg, asyncpg, SQLAlchemy and Grafana), read from the team's captures
/// beside the checkout (../shared/reference/, never copied into the repository): every one parses, and parse,
/// format, parse gives an equal tree.
/// </summary>
public class ClientQueryTests(ITestOutputHelper output)
{
    internal static readonly string[] CaptureFiles = ["pgwire-captures.md", "pg-tools-introspection.md"];

    /// <summary>The captured statements, or none without the shared folder.</summary>
    internal static List<string> Captured()
    {
        var statements = new List<string>();
        foreach (var file in CaptureFiles)
        {
            if (SharedReference.Find(file) is { } path)
            {
                foreach (var block in SharedReference.SqlBlocks(path))
                    statements.Add(block.Sql);
            }
        }
        return statements;
    }

    [Fact]
    public void Statements_sent_by_postgres_clients_parse_and_round_trip()
    {
        var statements = Captured();
        if (statements.Count == 0)
        {
            output.WriteLine("no ../shared/reference captures: nothing to check");
            return;
        }
        var failures = new List<string>();
        foreach (var sql in statements)
        {
            try
            {
                var first = SqlParser.Parse(sql);
                Assert.NotEmpty(first);
                RoundTripTests.AssertRoundTrips(sql);
            }
            catch (Exception e) when (e is SqlSyntaxException or Xunit.Sdk.XunitException)
            {
                failures.Add($"{e.Message}\n{sql}");
            }
        }
        output.WriteLine($"{statements.Count} captured statements, {failures.Count} failed");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
