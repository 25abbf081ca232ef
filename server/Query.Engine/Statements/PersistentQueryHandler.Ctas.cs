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
    /// GROUP BY expressions, which become its key columns in GROUP BY order); the aggregate's state is committed with
    /// it (see <see cref="PersistentQuery"/>).
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
            var keys = TableKeys(plan, name, create.Span.Start + 1);
            CreateSink(engine, name, RelationKind.Table, keys, plan, create.Properties, position);
            Start(session, PersistentQueryKind.Ctas, create, name, plan);
        }
        return StatementResult.Command("CREATE TABLE");
    }

    /// <summary>
    /// The output columns that are the GROUP BY expressions, in GROUP BY order: the table's key columns. ksqlDB
    /// requires each of them in the SELECT list, once (42803 otherwise, naming the missing ones).
    /// </summary>
    private static List<int>? TableKeys(PersistentQueryPlan plan, string name, int position)
    {
        if (plan.IsTableJoin)
            return null;   // keyed by the join (NewStreamShape's key from the join's hidden key column)
        if (plan.IsTableProjection)
            return TableProjectionKeys(plan, position);
        if (!plan.IsAggregate)
            throw SqlException.FeatureNotSupported(
                "CREATE TABLE AS SELECT without GROUP BY (use CREATE STREAM AS SELECT for a stream)", position);
        var keyCount = plan.GroupKeyCount;
        if (keyCount == 0)
            throw new SqlException(SqlState.GroupingError,
                "CREATE TABLE AS SELECT needs a GROUP BY (the table's key)", position: position);
        var keys = new List<int>(keyCount);
        var missing = new List<int>();
        for (var k = 0; k < keyCount; k++)
        {
            var found = SelectedGroupKeys(plan, k);
            if (found.Count > 1)
                throw new SqlException(SqlState.GroupingError, "The projection contains a key column more than once: "
                    + string.Join(" and ", found.Select(i => $"\"{plan.Column(i).Name}\"")), position: position,
                    hint: "Select each GROUP BY expression once (it is a column of the table's PRIMARY KEY).");
            if (found.Count == 0)
                missing.Add(k);
            else
                keys.Add(found[0]);
        }
        if (missing.Count > 0)
            throw new SqlException(SqlState.GroupingError, $"The query used to build \"{name}\" must include the "
                + $"grouping expression{(missing.Count > 1 ? "s" : "")} "
                + string.Join(", ", missing.Select(k => plan.GroupKeyText(k)))
                + " in its projection (they are the table's PRIMARY KEY)", position: position);
        return keys;
    }

    /// <summary>
    /// A table projection keeps its source's key: every key column must be selected as is (ksqlDB: "Key missing
    /// from projection"); the sink's key columns are them, in the source's key order.
    /// </summary>
    private static List<int> TableProjectionKeys(PersistentQueryPlan plan, int position)
    {
        var keys = new List<int>();
        foreach (var sourceKey in plan.Source.Definition.KeyColumns)
        {
            var selected = plan.SelectedSourceColumn(sourceKey);
            if (selected < 0)
                throw new SqlException(SqlState.GroupingError, "Key missing from projection: the query must select "
                    + $"the key column \"{plan.Source.Definition.Columns[sourceKey].Name}\" of table "
                    + $"\"{plan.Source.Definition.Name}\"", position: position);
            keys.Add(selected);
        }
        return keys;
    }

    /// <summary>The visible output columns that are GROUP BY expression <paramref name="k"/> as is.</summary>
    private static List<int> SelectedGroupKeys(PersistentQueryPlan plan, int k)
    {
        var found = new List<int>();
        if (plan.Bound.Root is LogicalProject project)
        {
            for (var i = 0; i < plan.VisibleColumns; i++)
            {
                if (project.Expressions[i] is BoundColumn column && column.Ordinal == k)
                    found.Add(i);
            }
        }
        return found;
    }
}
