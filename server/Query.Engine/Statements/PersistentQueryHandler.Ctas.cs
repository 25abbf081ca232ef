using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Persistent;
using Query.Engine.Planning.Logical;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

internal static partial class PersistentQueryHandler
{
    /// <summary>
    /// CREATE TABLE t AS SELECT k, aggregates FROM s [WHERE] GROUP BY k [HAVING] EMIT CHANGES: a continuously
    /// maintained aggregate. Its sink's log is the table's changelog (one row per changed group, keyed by the
    /// GROUP BY key); the aggregate's state is committed with it (see <see cref="PersistentQuery"/>).
    /// </summary>
    public static StatementResult CreateTableAsSelect(EngineSession session, Ast.CreateTableAsSelect create)
    {
        var engine = session.Engine;
        var name = EngineSession.SourceName(create.Name);
        var position = create.Name.Span.Start + 1;
        lock (engine.DdlLock)
        {
            if (engine.TryGetStream(name, out _))
                return SinkExists(name, "TABLE", create.IfNotExists, create.OrReplace, position);
            var plan = PersistentQueryPlan.Build(engine, create.Query);
            var key = TableKey(plan, create.Span.Start + 1);
            CreateSink(engine, name, RelationKind.Table, key, plan, create.Properties, position);
            Start(session, PersistentQueryKind.Ctas, create, name, plan);
        }
        return StatementResult.Command("CREATE TABLE");
    }

    /// <summary>
    /// The output column that is the GROUP BY key: the table's key. ksqlDB requires it in the SELECT list; one
    /// key column per table for now.
    /// </summary>
    private static int TableKey(PersistentQueryPlan plan, int position)
    {
        if (plan.IsTableJoin)
            return SinkWriter.NewStreamShape(plan).Key;
        if (!plan.IsAggregate)
            throw SqlException.FeatureNotSupported(
                "CREATE TABLE AS SELECT without GROUP BY (use CREATE STREAM AS SELECT for a stream)", position);
        var aggregate = FindAggregate(plan.Bound.Root);
        var keyCount = aggregate switch
        {
            LogicalAggregate plain => plain.Keys.Count,
            LogicalWindowedAggregate windowed => windowed.Keys.Count,
            _ => 0,
        };
        if (keyCount == 0)
            throw new SqlException(SqlState.GroupingError,
                "CREATE TABLE AS SELECT needs a GROUP BY (the table's key)", position: position);
        if (keyCount > 1)
            throw SqlException.FeatureNotSupported("GROUP BY more than one expression in CREATE TABLE AS SELECT "
                + "(a table has one key column)", position);
        if (plan.Bound.Root is LogicalProject project)
        {
            for (var i = 0; i < plan.VisibleColumns; i++)
            {
                if (project.Expressions[i] is BoundColumn { Ordinal: 0 })
                    return i;
            }
        }
        throw new SqlException(SqlState.GroupingError,
            "Key missing from projection: the GROUP BY key must be a column of the SELECT list of "
            + "CREATE TABLE AS SELECT (it is the table's PRIMARY KEY)", position: position);
    }

    private static LogicalPlan? FindAggregate(LogicalPlan plan) => plan switch
    {
        LogicalAggregate or LogicalWindowedAggregate => plan,
        LogicalProject project => FindAggregate(project.Input),
        LogicalFilter filter => FindAggregate(filter.Input),
        _ => null,
    };
}
