using System.Text.Json;
using Ast = Query.Grammar.Ast;

namespace Query.Conformance;

/// <summary>
/// Persistent queries run on their own: before the output topics are read, the runner waits until every query
/// has consumed its sources (SHOW QUERIES EXTENDED: LAG 0 with committed positions) or stopped, or until nothing
/// moved for a quiet while (a query over an empty source commits nothing), at most <see cref="MaxWait"/>.
/// </summary>
public static class QueryProgress
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    public static bool StartsPersistentQuery(Ast.Statement? statement) =>
        statement is Ast.CreateStreamAsSelect or Ast.CreateTableAsSelect or Ast.InsertInto;

    public static async Task WaitAsync(ICaseTarget target)
    {
        var started = DateTime.UtcNow;
        var lastChange = started;
        string? lastCounters = null;
        while (DateTime.UtcNow - started < MaxWait && DateTime.UtcNow - lastChange < Quiet)
        {
            var show = await target.ExecuteAsync("SHOW QUERIES EXTENDED", int.MaxValue);
            if (show.Failed || show.Rows is null)
                return;
            var (caughtUp, counters) = Inspect(show);
            if (caughtUp)
                return;
            if (counters != lastCounters)
                (lastCounters, lastChange) = (counters, DateTime.UtcNow);
            await Task.Delay(50);
        }
    }

    private static (bool CaughtUp, string Counters) Inspect(StatementRun show)
    {
        int Column(string name) => show.ColumnNames!.FindIndex(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
        var (status, lag, perPartition, rowsIn, rowsOut) =
            (Column("STATUS"), Column("LAG"), Column("LAG_PER_PARTITION"), Column("ROWS_IN"), Column("ROWS_OUT"));
        var caughtUp = true;
        var counters = new System.Text.StringBuilder();
        foreach (var row in show.Rows!)
        {
            counters.Append(Text(row, rowsIn)).Append('/').Append(Text(row, rowsOut)).Append(';');
            if (!string.Equals(Text(row, status), "RUNNING", StringComparison.OrdinalIgnoreCase))
                continue;
            if (Text(row, lag) != "0" || Text(row, perPartition).Length == 0)
                caughtUp = false;
        }
        return (caughtUp, counters.ToString());
    }

    private static string Text(JsonElement[] row, int column) => column < 0 || row[column].ValueKind == JsonValueKind.Null
        ? "" : row[column].ValueKind == JsonValueKind.String ? row[column].GetString()! : row[column].GetRawText();
}
