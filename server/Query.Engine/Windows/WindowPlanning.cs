using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Planning;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Windows;

/// <summary>
/// What the planner checks of a SELECT's WINDOW and EMIT FINAL, as ksqlDB does: a window needs GROUP BY, runs over
/// a stream, and only in a push or persistent query (ksqlDB's pull queries refuse WINDOW; a windowed table answers
/// pull queries instead); EMIT FINAL needs a window.
/// </summary>
public static class WindowPlanning
{
    /// <summary>The windowed aggregate's template (its input, keys and aggregates are filled in later), or null
    /// without WINDOW.</summary>
    public static LogicalWindowedAggregate? Check(Ast.SelectQuery query, Ast.Select select, StreamRuntime? source)
    {
        if (select.Window is not { } window)
        {
            if (query.Emit == Ast.EmitKind.Final)
                throw new SqlException(SqlState.SyntaxError,
                    "EMIT FINAL is only for windowed aggregations (GROUP BY with WINDOW)",
                    position: query.Span.Start + 1);
            return null;
        }
        var position = window.Span.Start + 1;
        if (query.Emit == Ast.EmitKind.None)
            // ksqlDB refuses it as a wrong statement, not as a missing feature: a WINDOW only makes sense on a
            // query that keeps running.
            throw new SqlException(SqlState.WindowingError, "Pull queries don't support WINDOW clauses. Add EMIT "
                + "CHANGES if you intended to issue a push query (or CREATE TABLE ... AS SELECT it and query the "
                + "windowed table)", position: position);
        if (select.GroupBy.Count == 0)
            throw new SqlException(SqlState.GroupingError, "WINDOW needs a GROUP BY (a windowed aggregation)",
                position: position);
        if (source is null)
            throw new SqlException(SqlState.GroupingError, "WINDOW needs a FROM stream", position: position);
        if (source.Definition.IsTable)
            throw SqlException.FeatureNotSupported("WINDOW over a table (windows group a stream's events)",
                position);
        var spec = WindowSpec.From(window);
        return new LogicalWindowedAggregate(new LogicalValues(), EquatableArray<Binding.BoundExpr>.Empty, spec,
            EquatableArray<Binding.ColumnInfo>.Empty, EquatableArray<Binding.BoundAggregate>.Empty,
            query.Emit == Ast.EmitKind.Final, Retractions: false);
    }

    /// <summary>
    /// The partition clocks a windowed aggregate keeps (see <see cref="StreamClocks"/>): its source's partitions
    /// when it reads one stream (through filters) and its GROUP BY holds every key column of that stream, so all
    /// records of a window come from one partition; 0 (one clock over all partitions) otherwise.
    /// </summary>
    public static int PartitionClocks(LogicalWindowedAggregate aggregate)
    {
        if (TableSourceAggregates.ScanOf(aggregate.Input) is not { } scan || scan.Source.Sources.Count < 2)
            return 0;
        var keyColumns = scan.Source.Definition.KeyColumns;
        if (keyColumns.Count == 0)
            return 0;
        foreach (var keyColumn in keyColumns)
        {
            var grouped = false;
            foreach (var key in aggregate.Keys)
                grouped |= key is Binding.BoundColumn column && column.Ordinal == keyColumn;
            if (!grouped)
                return 0;
        }
        return scan.Source.Sources.Count;
    }
}
