using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Execution.Operators;
using Query.Engine.Persistent;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// CREATE STREAM ... AS SELECT, INSERT INTO ... SELECT, TERMINATE, SHOW QUERIES [EXTENDED], EXPLAIN query_id, and
/// the refusal to drop a source or sink a query uses. The queries themselves run in
/// <see cref="PersistentQueryRegistry"/>.
/// </summary>
internal static partial class PersistentQueryHandler
{
    public static StatementResult CreateStreamAsSelect(EngineSession session, Ast.CreateStreamAsSelect create)
    {
        var engine = session.Engine;
        var name = EngineSession.SourceName(create.Name);
        var position = create.Name.Span.Start + 1;
        lock (engine.DdlLock)
        {
            if (engine.TryGetStream(name, out _))
                return SinkExists(name, "STREAM", create.IfNotExists, create.OrReplace, position);
            var plan = PersistentQueryPlan.Build(engine, create.Query);
            RefuseTableProjection(plan, create.Span.Start + 1);
            if (plan.IsAggregate || plan.IsTableJoin)
                throw new SqlException(SqlState.WrongObjectType,
                    "Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT "
                    + "statement instead.", position: create.Span.Start + 1);
            CreateSink(engine, name, RelationKind.Stream, tableKeys: null, plan, create.Properties, position);
            Start(session, PersistentQueryKind.Csas, create, name, plan);
        }
        return StatementResult.Command("CREATE STREAM");
    }

    public static StatementResult InsertInto(EngineSession session, Ast.InsertInto insert)
    {
        var engine = session.Engine;
        var name = EngineSession.SourceName(insert.Target);
        if (insert.Properties.Count > 0)
            throw SqlException.FeatureNotSupported("WITH (...) on INSERT INTO ... SELECT",
                insert.Properties[0].Span.Start + 1);
        lock (engine.DdlLock)
        {
            var sink = engine.GetStream(name, insert.Target.Span.Start + 1);
            var plan = PersistentQueryPlan.Build(engine, insert.Query);
            RefuseTableProjection(plan, insert.Span.Start + 1);
            if (plan.IsAggregate || plan.IsTableJoin)
                throw new SqlException(SqlState.WrongObjectType,
                    "INSERT INTO ... SELECT with GROUP BY or aggregates is not supported (it produces a table)",
                    position: insert.Span.Start + 1);
            if (sink.Definition.LogName == plan.Source.Definition.LogName)
                throw new SqlException(SqlState.InvalidParameterValue,
                    $"INSERT INTO \"{name}\" cannot read the log it writes", position: insert.Span.Start + 1);
            SinkWriter.ForExisting(plan, sink.Definition);
            Start(session, PersistentQueryKind.InsertInto, insert, name, plan);
        }
        return StatementResult.Command("INSERT 0 0");
    }

    /// <summary>A stream's query over a table without GROUP BY: ksqlDB refuses it (its result is a table).</summary>
    private static void RefuseTableProjection(PersistentQueryPlan plan, int position)
    {
        if (plan.IsTableProjection)
            throw new SqlException(SqlState.WrongObjectType, $"\"{plan.Source.Definition.Name}\" is a table: a query "
                + "over it without GROUP BY produces a table; use CREATE TABLE AS SELECT", position: position);
    }

    /// <summary>Adds the query to the registry, starting at the source's start ('earliest') or end ('latest').
    /// </summary>
    private static PersistentQuery Start(EngineSession session, PersistentQueryKind kind, Ast.Statement statement,
        string sink, PersistentQueryPlan plan)
    {
        var engine = session.Engine;
        var scan = plan.Bound.Scan!;
        var starts = TailScanOperator.PlanStarts(scan.Source, scan.Pushdown, session.ReplayFromEarliest);
        starts.AddRange(StreamJoinSources.OtherStarts(plan, session.ReplayFromEarliest));
        var definition = new PersistentQueryDefinition(engine.Queries.NextId(kind, sink), kind,
            Grammar.Formatting.SqlFormatter.Format(statement), sink, scan.Source.Definition.Name,
            session.ReplayFromEarliest, engine.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        var withState = plan.IsAggregate || StreamJoinSources.TailsSeveral(plan);
        return engine.Queries.Create(definition, starts, withState);
    }

    public static async ValueTask<StatementResult> TerminateAsync(EngineSession session, Ast.Terminate terminate)
    {
        var registry = session.Engine.Queries;
        if (terminate.QueryId is not { } id)
        {
            foreach (var query in registry.List())
                await registry.TerminateAsync(query);
            return StatementResult.Command("TERMINATE");
        }
        await registry.TerminateAsync(registry.Get(id.Value, id.Span.Start + 1));
        return StatementResult.Command("TERMINATE");
    }

    /// <summary>ksqlDB refuses to drop a source or sink of a running query; so do we, naming the queries.</summary>
    public static void RefuseDropIfUsed(QueryEngine engine, string name, int position)
    {
        var ids = engine.Queries.QueriesUsing(name);
        if (ids.Count == 0)
            return;
        throw new SqlException(SqlState.DependentObjectsStillExist,
            $"cannot drop \"{name}\": it is the source or sink of the queries {string.Join(", ", ids)}",
            position: position, hint: $"TERMINATE {ids[0]} first (TERMINATE ALL ends every query).");
    }
}
