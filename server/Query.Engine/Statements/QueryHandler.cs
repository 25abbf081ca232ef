using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Planning;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>SELECT (pull and push) and EXPLAIN.</summary>
internal static class QueryHandler
{
    public static StatementResult Execute(EngineSession session, Ast.QueryStatement query,
        IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        var compiled = Compile(session, query.Query, parameters);
        var plan = compiled.Plan;
        var statistics = new ScanStatistics();
        var budget = new Limits.QueryMemoryBudget(session.Engine.Options.QueryMemoryBytes);
        if (plan.Source is null)
            return StatementResult.Query(MaterializedQuery.Run(compiled, null, statistics, cancellationToken, budget));
        if (plan.IsPush)
        {
            var starts = PushQueryReader.PlanStarts(plan.Source, plan.Where, session.ReplayFromEarliest);
            return StatementResult.Query(new PushQueryReader(compiled, plan.Source, starts));
        }
        var scan = ScanPlan.ForPull(plan.Source, plan.Where);
        if (plan.Aggregation is not null || plan.OrderBy.Count > 0)
            return StatementResult.Query(MaterializedQuery.Run(compiled, scan, statistics, cancellationToken, budget));
        return StatementResult.Query(new PullScanReader(compiled, scan));
    }

    private static CompiledSelect Compile(EngineSession session, Ast.SelectQuery query,
        IReadOnlyList<object?> parameters)
    {
        if (parameters.Count == 0 && session.Engine.TryGetCompiled(query, out var cached))
            return cached;
        var compiled = new CompiledSelect(session.PlanSelect(query, new ParameterTypes(), parameters));
        if (parameters.Count == 0)
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
        string text;
        if (plan.Source is null)
            text = plan.Explain(null, null);
        else if (plan.IsPush)
            text = plan.Explain(null, PushQueryReader.PlanStarts(plan.Source, plan.Where, session.ReplayFromEarliest));
        else
            text = plan.Explain(ScanPlan.ForPull(plan.Source, plan.Where), null);
        var rows = new List<Types.Cell[]>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            rows.Add(EngineSession.TextRow(line.TrimEnd('\r')));
        return StatementResult.Query(new BufferedRowReader(ShowHandler.PlanColumns, rows));
    }
}
