using System.Collections;
using System.Text.Json;
using Npgsql;
using Query.Grammar;

namespace Query.Conformance;

/// <summary>One statement over the wire as a <see cref="StatementRun"/>: the server's SQLSTATE and message on
/// failure, the column names and each value as JSON (json columns, i.e. MAP and STRUCT, parsed as they are).</summary>
public static class WireStatement
{
    public static async Task<StatementRun> ExecuteAsync(NpgsqlConnection connection, string text, int maxRows)
    {
        var run = new StatementRun(text);
        try
        {
            run.Syntax = SqlParser.ParseStatement(text);
        }
        catch (SqlSyntaxException)
        {
            // The server answers the syntax error itself.
        }
        var push = run.Syntax is Grammar.Ast.QueryStatement { Query.Emit: Grammar.Ast.EmitKind.Changes };
        using var quiet = new CancellationTokenSource(push ? TimeSpan.FromSeconds(1) : Timeout.InfiniteTimeSpan);
        try
        {
            await using var command = new NpgsqlCommand(text, connection);
            await using var reader = await command.ExecuteReaderAsync(quiet.Token);
            if (reader.FieldCount > 0)
            {
                run.ColumnNames = [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];
                run.Rows = [];
                while (run.Rows.Count < maxRows && await reader.ReadAsync(quiet.Token))
                    run.Rows.Add(Row(reader));
            }
            // A push query that gave its rows still runs: cancel it, or closing the reader waits for its end.
            if (push)
                command.Cancel();
        }
        catch (PostgresException e) when (!(push && e.SqlState == "57014"))
        {
            run.SqlState = e.SqlState;
            run.Error = e.MessageText;
        }
        catch (Exception e) when (push && e is OperationCanceledException or PostgresException)
        {
            // A push query without LIMIT ends when nothing more arrives.
        }
        return run;
    }

    private static JsonElement[] Row(NpgsqlDataReader reader)
    {
        var row = new JsonElement[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? JsonCompare.Null
                : reader.GetDataTypeName(i) is "json" or "jsonb" ? JsonCompare.Parse(reader.GetString(i))
                : JsonCompare.Parse(JsonSerializer.Serialize(Value(reader.GetValue(i))));
        }
        return row;
    }

    /// <summary>A wire value as the engine's JSON notation writes it (temporal values as numbers, bytes base64).
    /// </summary>
    private static object? Value(object? value) => value switch
    {
        null or DBNull => null,
        DateTime t => (long)(t - DateTime.UnixEpoch).TotalMilliseconds,
        DateOnly d => d.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber,
        TimeSpan s => (long)s.TotalMilliseconds,
        TimeOnly o => (long)o.ToTimeSpan().TotalMilliseconds,
        double d when !double.IsFinite(d) => Engine.Types.ValueText.FormatDouble(d),
        byte[] or string => value,
        IEnumerable items => items.Cast<object?>().Select(Value).ToList(),
        _ => value,
    };
}
