using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Execution.Operators;
using Query.Engine.Planning;
using Query.Engine.Planning.Logical;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// SELECT (pull and push) and EXPLAIN. Both kinds of query run on the same operators; they differ only in their
/// scan (a snapshot that ends, or a tail that waits for data).
/// </summary>
internal static class QueryHandler
{
    public static StatementResult Execute(EngineSession session, Ast.QueryStatement query,
        IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        var compiled = Compile(session, query.Query, parameters);
        var context = new OperatorContext(new ScanStatistics(), session.ReplayFromEarliest, session.Engine.BatchLimits,
            new Limits.QueryMemoryBudget(session.Engine.Options.QueryMemoryBytes))
        {
            Parameters = parameters,
            JoinBuildMaxBytes = session.Engine.Options.JoinBuildMaxBytes,
            WindowMaxBytes = session.Engine.Options.WindowMaxBytes,
            MaxRecursion = session.Engine.Options.RecursionMaxIterations,
            ScanWorkers = session.Engine.Options.QueryScanWorkers,
            ScanWorkerMinRecords = session.Engine.Options.QueryScanWorkerMinRecords,
            ScanCache = session.Engine.ScanCache,
        };
        return StatementResult.Query(compiled.Start(context));
    }

    private static CompiledQuery Compile(EngineSession session, Ast.SelectQuery query,
        IReadOnlyList<object?> parameters)
    {
        // A cached query with parameters is a prepared key lookup (only those are cached: LookupTemplate).
        if (session.Engine.TryGetCompiled(query, out var cached))
            return cached;
        if (parameters.Count > 0 && LookupTemplate.TryCompile(session, query) is { } template)
        {
            session.Engine.AddCompiled(query, template);
            return template;
        }
        var compiled = new CompiledQuery(session.PlanSelect(query, new ParameterTypes(), parameters),
            session.Engine.TimeProvider);
        if (parameters.Count == 0 && compiled.Query.Reusable)
            session.Engine.AddCompiled(query, compiled);
        return compiled;
    }

    public static StatementResult Explain(EngineSession session, Ast.Explain explain, IReadOnlyList<object?> parameters)
    {
        if (explain.Statement is not Ast.QueryStatement query)
            throw explain.QueryId is not null
                ? new SqlException(SqlState.UndefinedObject, $"query \"{explain.QueryId.Value}\" does not exist",
                    position: explain.Span.Start + 1)
                : SqlException.FeatureNotSupported("EXPLAIN of statements other than SELECT", explain.Span.Start + 1);
        var plan = session.PlanSelect(query.Query, new ParameterTypes(), parameters.Count > 0 ? parameters : null);
        var text = ExplainPrinter.Print(plan, scan => DescribeScan(scan, session.ReplayFromEarliest));
        var rows = new List<Types.Cell[]>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            rows.Add(EngineSession.TextRow(line.TrimEnd('\r')));
        return StatementResult.Query(new BufferedRowReader(ShowHandler.PlanColumns, rows));
    }

    /// <summary>What a scan would read now: offset ranges and segments, or where a tail starts per partition.</summary>
    private static List<string> DescribeScan(LogicalScan scan, bool replayFromEarliest)
    {
        var lines = new List<string>();
        if (scan.Unbounded)
        {
            foreach (var start in TailScanOperator.PlanStarts(scan.Source, scan.Pushdown, replayFromEarliest))
                lines.Add($"partition {start.Partition}: tail from offset {start.StartOffset}"
                    + (start.EndOffsetExclusive == long.MaxValue ? ", live" : $" to {start.EndOffsetExclusive}"));
            return lines;
        }
        var builder = new System.Text.StringBuilder();
        ScanPlan.ForPull(scan.Source, scan.Pushdown).Describe(builder);
        foreach (var line in builder.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Describe indents its own tree by two spaces and opens with a "Scan NAME (...)" summary line.
            var text = line.TrimEnd('\r');
            text = text.StartsWith("  ", StringComparison.Ordinal) ? text[2..] : text;
            if (text.StartsWith("Scan ", StringComparison.Ordinal) && text.IndexOf('(') is var open and >= 0)
                text = text[(open + 1)..].TrimEnd(')');
            else
                text = text.StartsWith("  ", StringComparison.Ordinal) ? text[2..] : text;
            lines.Add(text);
        }
        return lines;
    }
}
