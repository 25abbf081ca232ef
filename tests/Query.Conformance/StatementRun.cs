using System.Text.Json;
using Query.Engine;
using Query.Engine.Errors;
using Query.Grammar;
using Ast = Query.Grammar.Ast;

namespace Query.Conformance;

/// <summary>One statement of a case as the engine ran it: its syntax (null when it did not parse), its error, and
/// for a query its column names and rows as JSON values.</summary>
public sealed class StatementRun
{
    public StatementRun(string text) => Text = text;

    public string Text { get; }

    public Ast.Statement? Syntax { get; set; }

    public string? SqlState { get; set; }

    public string? Error { get; set; }

    public List<string>? ColumnNames { get; set; }

    public List<JsonElement[]>? Rows { get; set; }

    public bool Failed => SqlState is not null;

    /// <summary>Runs the statement; a push query is read until <paramref name="maxRows"/> rows or a quiet second.
    /// </summary>
    public static async Task<StatementRun> ExecuteAsync(EngineSession session, string text, int maxRows)
    {
        var run = new StatementRun(text);
        try
        {
            run.Syntax = SqlParser.ParseStatement(text);
            await using var result = await session.ExecuteAsync(text);
            if (result.Rows is { } rows)
                await ReadAsync(run, rows, maxRows);
        }
        catch (SqlSyntaxException e)
        {
            run.SqlState = "42601";
            run.Error = e.Message;
        }
        catch (SqlException e)
        {
            run.SqlState = e.SqlState;
            run.Error = e.Message;
        }
        return run;
    }

    private static async Task ReadAsync(StatementRun run, Engine.Execution.RowReader rows, int maxRows)
    {
        run.ColumnNames = [.. rows.Columns.Select(c => c.Name)];
        run.Rows = [];
        var push = run.Syntax is Ast.QueryStatement { Query.Emit: Ast.EmitKind.Changes };
        using var quiet = new CancellationTokenSource(push ? TimeSpan.FromSeconds(1) : Timeout.InfiniteTimeSpan);
        try
        {
            while (run.Rows.Count < maxRows && await rows.ReadAsync(quiet.Token))
            {
                var row = new JsonElement[rows.Columns.Count];
                for (var i = 0; i < row.Length; i++)
                    row[i] = JsonCompare.Parse(Engine.Types.ValueText.ToJson(rows.GetValue(i), rows.Columns[i].Type));
                run.Rows.Add(row);
            }
        }
        catch (SqlException e) when (push && e.SqlState == Engine.Errors.SqlState.QueryCanceled)
        {
            // A push query without LIMIT ends when nothing more arrives.
        }
    }
}
