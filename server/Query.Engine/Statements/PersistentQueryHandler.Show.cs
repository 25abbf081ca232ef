using System.Globalization;
using System.Text;
using Query.Engine.Binding;
using Query.Engine.Execution;
using Query.Engine.Persistent;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

internal static partial class PersistentQueryHandler
{
    private static readonly IReadOnlyList<ColumnInfo> QueryColumns =
    [
        new("QUERY_ID", SqlType.String), new("QUERY_TYPE", SqlType.String), new("STATUS", SqlType.String),
        new("SINK_NAME", SqlType.String), new("SINK_KAFKA_TOPIC", SqlType.String), new("QUERY_STRING", SqlType.String),
    ];

    private static readonly IReadOnlyList<ColumnInfo> ExtendedColumns =
    [
        .. QueryColumns, new("SOURCE_NAME", SqlType.String), new("ROWS_IN", SqlType.BigInt),
        new("ROWS_OUT", SqlType.BigInt), new("ROWS_SKIPPED", SqlType.BigInt), new("LAG", SqlType.BigInt),
        new("LAG_PER_PARTITION", SqlType.String), new("ERROR", SqlType.String),
        new("RECENT_SKIPPED", SqlType.String), new("LATE_RECORDS_DROPPED", SqlType.BigInt),
    ];

    /// <summary>The columns of SHOW QUERIES [EXTENDED].</summary>
    public static IReadOnlyList<ColumnInfo> ShowColumns(bool extended) => extended ? ExtendedColumns : QueryColumns;

    public static StatementResult ShowQueries(EngineSession session, bool extended)
    {
        var rows = new List<Cell[]>();
        foreach (var query in session.Engine.Queries.List())
        {
            var definition = query.Definition;
            var topic = session.Engine.TryGetStream(definition.Sink, out var sink) ? sink.Definition.LogName : null;
            var type = definition.Kind == PersistentQueryKind.InsertInto ? "INSERT" : "PERSISTENT";
            var status = query.State.ToString().ToUpperInvariant();
            if (!extended)
            {
                rows.Add(EngineSession.TextRow(definition.Id, type, status, definition.Sink, topic, definition.Sql));
                continue;
            }
            var lag = query.Lag();
            long total = 0;
            var perPartition = new StringBuilder();
            foreach (var (partition, committed, end) in lag)
            {
                total += Math.Max(0, end - committed);
                perPartition.Append(perPartition.Length == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture,
                    $"{partition}: {Math.Max(0, end - committed)} (next {committed}, end {end})");
            }
            rows.Add(EngineSession.TextRow(definition.Id, type, status, definition.Sink, topic, definition.Sql,
                definition.Source, query.RowsIn, query.RowsOut, query.RowsSkipped, total, perPartition.ToString(),
                query.Error, string.Join("\n", query.RecentErrors), query.LateRecordsDropped));
        }
        return StatementResult.Query(new BufferedRowReader(ShowColumns(extended), rows));
    }

    /// <summary>EXPLAIN query_id: the query, its state and counters, and its running plan.</summary>
    public static StatementResult Explain(EngineSession session, Ast.Identifier id)
    {
        var query = session.Engine.Queries.Get(id.Value, id.Span.Start + 1);
        var definition = query.Definition;
        var lines = new List<string>
        {
            $"Query {definition.Id} ({query.State.ToString().ToUpperInvariant()})",
            $"  Statement: {definition.Sql}",
            $"  Sink: {definition.Sink}; rows in {query.RowsIn}, out {query.RowsOut}, skipped {query.RowsSkipped}"
                + (query.LateRecordsDropped > 0 ? $", late records dropped {query.LateRecordsDropped}" : ""),
        };
        if (query.Error is { } error)
            lines.Add($"  Error: {error}");
        {
            var plan = query.CurrentPlan();
            var committed = query.Lag();
            var text = ExplainPrinter.Print(plan.Bound, _ => DescribePositions(committed));
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                lines.Add("  " + line.TrimEnd('\r').Replace("Push query (EMIT CHANGES)", "Persistent query",
                    StringComparison.Ordinal));
        }
        var rows = new List<Cell[]>();
        foreach (var line in lines)
            rows.Add(EngineSession.TextRow(line));
        return StatementResult.Query(new BufferedRowReader(ShowHandler.PlanColumns, rows));
    }

    private static List<string> DescribePositions(IReadOnlyList<(int Partition, long Committed, long End)> lag)
    {
        var lines = new List<string>();
        foreach (var (partition, committed, end) in lag)
            lines.Add($"partition {partition}: committed up to offset {committed} (next to read), end {end}, live");
        return lines;
    }
}
