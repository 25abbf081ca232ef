using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Execution.Operators;
using Query.Engine.Planning;
using Query.Engine.Planning.Logical;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Persistent;

/// <summary>
/// The SELECT of a persistent query planned as a push query over the same operators (an unbounded scan, then
/// filter, project or continuous aggregate), with hidden trailing columns the sink needs: the source row's ROWTIME
/// (so an output row keeps its input's time, as in ksqlDB) and the PARTITION BY expression (the output key).
/// </summary>
internal sealed class PersistentQueryPlan
{
    private const string RowTimeColumn = "__QUERY_ROWTIME";
    private const string PartitionKeyColumn = "__QUERY_PARTITION_KEY";
    private const string HavingColumn = "__QUERY_HAVING";

    private PersistentQueryPlan(BoundQuery bound, CompiledQuery compiled, int visible, int rowTime, int partitionKey,
        string? partitionKeyName, bool isAggregate)
    {
        Bound = bound;
        Compiled = compiled;
        VisibleColumns = visible;
        RowTimeIndex = rowTime;
        PartitionKeyIndex = partitionKey;
        PartitionKeyName = partitionKeyName;
        IsAggregate = isAggregate;
    }

    public BoundQuery Bound { get; }

    public CompiledQuery Compiled { get; }

    /// <summary>The stream the query reads.</summary>
    public StreamRuntime Source => Bound.Scan!.Source;

    /// <summary>Output columns the user selected (the hidden ones follow).</summary>
    public int VisibleColumns { get; }

    /// <summary>Output index of the source ROWTIME, or -1 (aggregates).</summary>
    public int RowTimeIndex { get; }

    /// <summary>Output index of the PARTITION BY value, or -1.</summary>
    public int PartitionKeyIndex { get; }

    /// <summary>The name the PARTITION BY expression gives a new key column.</summary>
    public string? PartitionKeyName { get; }

    public bool IsAggregate { get; }

    /// <summary>A table-table join: its result is a table (CREATE TABLE AS SELECT), keyed by the join.</summary>
    public bool IsTableJoin { get; private init; }

    /// <summary>
    /// Output index of the HAVING predicate's value, or -1. A persistent aggregate computes HAVING as a column
    /// instead of filtering, so that a group whose row no longer passes can be deleted from the table (ksqlDB
    /// writes a tombstone for it).
    /// </summary>
    public int HavingIndex { get; private init; } = -1;

    /// <summary>
    /// A query over a table that only filters and projects it (no GROUP BY, no join): its result is a table keyed by
    /// the source's key, which only CREATE TABLE AS SELECT can hold (ksqlDB: a CSAS over a table is refused).
    /// </summary>
    public bool IsTableProjection { get; private init; }

    /// <summary>
    /// Whether a source record with a null value becomes an output record with a null value (ksqlDB): a query that
    /// only filters and projects a stream in an external format, or a table in any format (a delete, and a row that
    /// stops passing WHERE, deletes the key from the sink table); no aggregate, join, window or table function.
    /// </summary>
    public bool PassesNullValues => !IsAggregate && (IsTableProjection || Source.Codec is not null)
        && Bound.Root is LogicalProject { Input: LogicalScan or LogicalFilter { Input: LogicalScan } };

    /// <summary>The output column <paramref name="index"/>.</summary>
    public ColumnInfo Column(int index) => Bound.Columns[index];

    public static PersistentQueryPlan Build(QueryEngine engine, Ast.SelectQuery query)
    {
        var position = query.Span.Start + 1;
        if (query.Body is not Ast.Select select)
            throw SqlException.FeatureNotSupported("UNION / INTERSECT / EXCEPT and nested queries", position);
        if (query.Limit is not null)
            throw SqlException.FeatureNotSupported("LIMIT in a persistent query", query.Limit.Span.Start + 1);
        var isAggregate = select.GroupBy.Count > 0 || AnyAggregate(select.Items);
        if (isAggregate && select.PartitionBy.Count > 0)
            throw SqlException.FeatureNotSupported("PARTITION BY with GROUP BY", select.PartitionBy[0].Span.Start + 1);
        var (bound, hidden) = Rewrite(engine, query, select, isAggregate, overTable: false, out var partitionKeyName);
        if (bound.Scan is null)
            throw SqlException.FeatureNotSupported("a persistent query without FROM", position);
        var tableJoin = TableJoinColumns.Find(bound);
        // Over a table without GROUP BY: a table projection (CREATE TABLE AS SELECT ... FROM table [WHERE]), each
        // change of the source a change of the sink, a delete a delete; only CTAS takes it (see TableProjection).
        var tableProjection = bound.Scan.Source.Definition.IsTable && tableJoin is null && !isAggregate;
        if (tableProjection && select.PartitionBy.Count > 0)
            throw new SqlException(SqlState.WrongObjectType,
                $"\"{bound.Scan.Source.Definition.Name}\" is a table: PARTITION BY needs a stream source",
                position: select.PartitionBy[0].Span.Start + 1);
        if (bound.Scan.Source.Definition.IsTable && tableJoin is null && isAggregate)
            (bound, hidden) = Rewrite(engine, query, select, isAggregate, overTable: true, out partitionKeyName);
        var visible = bound.Columns.Count - hidden.Count;
        if (hidden.IndexOf(HavingColumn) is var having and >= 0 && bound.Columns[visible + having].Type.Kind
                is not (Types.SqlTypeKind.Boolean or Types.SqlTypeKind.Null))
            throw new SqlException(SqlState.DatatypeMismatch, "argument of HAVING must be type boolean, not type "
                + bound.Columns[visible + having].Type, position: position);
        var rowTime = hidden.IndexOf(RowTimeColumn) is var r and >= 0 ? visible + r : -1;
        var partitionKey = hidden.IndexOf(PartitionKeyColumn) is var k and >= 0 ? visible + k : -1;
        var partitionByKeys = new List<int>(select.PartitionBy.Count);
        for (var p = 0; p < select.PartitionBy.Count; p++)
            partitionByKeys.Add(visible + hidden.IndexOf(PartitionKeyHidden(p)));
        var havingIndex = hidden.IndexOf(HavingColumn) is var h and >= 0 ? visible + h : -1;
        if (tableJoin is not null)
            bound = TableJoinColumns.Append(bound, tableJoin, out partitionKey, out havingIndex, out partitionKeyName);
        else if (partitionKey < 0 && StreamJoinKeyColumns.Find(bound) is { } streamJoin
            && StreamJoinKeyColumns.Append(bound, streamJoin, visible, out var joinKey, out var joinKeyName)
                is { } keyed)
            (bound, partitionKey, partitionKeyName) = (keyed, joinKey, joinKeyName);
        return new PersistentQueryPlan(bound, new CompiledQuery(bound, engine.TimeProvider), visible, rowTime,
            partitionKey, partitionKeyName, isAggregate)
        {
            Window = select.Window is not null
                ? new WindowedSinkColumns(Windows.WindowSpec.From(select.Window), hidden, visible)
                : tableJoin?.TableTable!.Window is { } tableWindow
                    ? new WindowedSinkColumns(tableWindow, havingIndex + 1, havingIndex + 2)
                : !isAggregate && WindowedJoinLeft(engine, select.From) is { } left
                    && !SelectsWindowBounds(bound, visible)
                    ? new WindowedSinkColumns(left.Window, hidden, visible) : null,
            HavingIndex = havingIndex,
            IsTableJoin = tableJoin is not null,
            IsTableProjection = tableProjection,
            PartitionKeys = PartitionKeyList(partitionKey, partitionKeyName, partitionByKeys, select.PartitionBy),
        };
    }

    /// <summary>The hidden output column of PARTITION BY expression <paramref name="p"/>.</summary>
    private static string PartitionKeyHidden(int p) => p == 0 ? PartitionKeyColumn : PartitionKeyColumn + p;

    /// <summary>Every PARTITION BY key (output index, new column name), or the join's key, or none.</summary>
    private static IReadOnlyList<(int Index, string Name)> PartitionKeyList(int first, string? firstName,
        List<int> partitionBy, Ast.EquatableArray<Ast.Expr> expressions)
    {
        if (first < 0)
            return [];
        if (partitionBy.Count == 0 || partitionBy[0] != first)
            return [(first, firstName!)];
        var keys = new List<(int, string)>(partitionBy.Count);
        var unnamed = 0;
        for (var p = 0; p < partitionBy.Count; p++)
            keys.Add((partitionBy[p], PartitionByName(expressions[p], ref unnamed)));
        return keys;
    }

    /// <summary>ksqlDB's name of a PARTITION BY key: a column's, a struct field's, else KSQL_COL_n.</summary>
    private static string PartitionByName(Ast.Expr expression, ref int unnamed) => expression switch
    {
        Ast.ColumnRef column => column.Name.Value,
        Ast.FieldAccessExpr field => field.Field.Value,
        _ => $"ksql_col_{unnamed++}",
    };

    /// <summary>
    /// The new key columns PARTITION BY gives (output index and name, in PARTITION BY order; several make a key of
    /// several columns, as in ksqlDB), or a stream-stream join's key; empty otherwise.
    /// </summary>
    public IReadOnlyList<(int Index, string Name)> PartitionKeys { get; private init; } = [];

    /// <summary>
    /// The query with its hidden trailing columns, bound: the row time (an aggregate's: the latest time of its
    /// group over a stream, the time of its last change over a table, where an update also retracts) and the
    /// PARTITION BY value.
    /// </summary>
    private static (BoundQuery Bound, List<string> Hidden) Rewrite(QueryEngine engine, Ast.SelectQuery query,
        Ast.Select select, bool isAggregate, bool overTable, out string? partitionKeyName)
    {
        var items = SyntheticNames(select.Items);
        var hidden = new List<string>();
        partitionKeyName = null;
        // An output row keeps its input's time; an aggregate's, the latest time of its group (as Kafka Streams).
        Ast.Expr rowTimeExpression = new Ast.ColumnRef(null, Ast.Identifier.Unquoted("rowtime"));
        if (isAggregate)
            rowTimeExpression = new Ast.FunctionCall(
                Ast.QualifiedName.Of(overTable ? Functions.AggregateFunctions.ChangeTimeName : "MAX"),
                Ast.EquatableArray.Of(rowTimeExpression), Distinct: false, Star: false, Over: null);
        hidden.Add(RowTimeColumn);
        items.Add(new Ast.SingleColumn(rowTimeExpression, Ast.Identifier.Unquoted(RowTimeColumn)));
        if (select.Window is not null)
            WindowedSinkColumns.AddHidden(select.Window, items, hidden);
        else if (!isAggregate && WindowedJoinLeft(engine, select.From) is { } left)
            WindowedSinkColumns.AddHidden(left.Qualifier, items, hidden);
        if (isAggregate && select.Having is { } having)
        {
            hidden.Add(HavingColumn);
            items.Add(new Ast.SingleColumn(having, Ast.Identifier.Unquoted(HavingColumn)));
            select = select with { Having = null };
        }
        var unnamed = 0;
        for (var p = 0; p < select.PartitionBy.Count; p++)
        {
            hidden.Add(PartitionKeyHidden(p));
            var expression = select.PartitionBy[p];
            var name = PartitionByName(expression, ref unnamed);
            partitionKeyName ??= name;
            items.Add(new Ast.SingleColumn(expression, Ast.Identifier.Unquoted(PartitionKeyHidden(p))));
        }
        var rewritten = query with
        {
            Body = select with
            {
                Items = Ast.EquatableArray.From(items),
                PartitionBy = Ast.EquatableArray<Ast.Expr>.Empty,
            },
            Emit = query.Emit == Ast.EmitKind.Final ? Ast.EmitKind.Final : Ast.EmitKind.Changes,
        };
        var planner = new SelectPlanner(name => engine.GetStream(EngineSession.SourceName(name), name.Span.Start + 1),
            new ParameterTypes(), null);
        return (planner.Plan(rewritten), hidden);
    }

    /// <summary>
    /// The leftmost stream of a join when it is windowed (a join of windowed streams, which the join planner checks):
    /// its qualifier in the query and its window; null otherwise.
    /// </summary>
    private static (Ast.Identifier Qualifier, Catalog.TableWindow Window)? WindowedJoinLeft(QueryEngine engine,
        Ast.Relation? from)
    {
        if (from is not Ast.Join join)
            return null;
        Ast.Relation left = join;
        while (left is Ast.Join inner)
            left = inner.Left;
        if (left is not Ast.TableRef table)
            return null;
        var source = engine.GetStream(EngineSession.SourceName(table.Name), table.Name.Span.Start + 1);
        if (source.Definition.Window is not { } window || source.Definition.IsTable)
            return null;
        return (table.Alias ?? table.Name.Name, window);
    }

    /// <summary>Whether a visible output column is named WINDOWSTART or WINDOWEND (a join's sink then keeps the
    /// selected bounds as its window, as a CSAS over a windowed stream does, rather than adding its own).</summary>
    private static bool SelectsWindowBounds(BoundQuery bound, int visible)
    {
        for (var i = 0; i < visible; i++)
        {
            var name = bound.Columns[i].Name;
            if (string.Equals(name, Catalog.StreamDefinition.WindowStartName, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, Catalog.StreamDefinition.WindowEndName, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>Where a windowed aggregate's window bounds and retraction flag are in the output; null without
    /// WINDOW.</summary>
    public WindowedSinkColumns? Window { get; private init; }

    /// <summary>
    /// ksqlDB's names for unnamed expressions of a persistent query: a column keeps its name, a struct field its
    /// field name, anything else takes the next free KSQL_COL_n (n from 0).
    /// </summary>
    private static List<Ast.SelectItem> SyntheticNames(Ast.EquatableArray<Ast.SelectItem> items)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item is Ast.SingleColumn { Alias: { } alias })
                used.Add(alias.Value);
        }
        var result = new List<Ast.SelectItem>(items.Count);
        var next = 0;
        foreach (var item in items)
        {
            if (item is Ast.SingleColumn { Alias: null, Expression: not (Ast.ColumnRef or Ast.FieldAccessExpr) } single)
            {
                string name;
                do
                    name = $"ksql_col_{next++}";
                while (!used.Add(name));
                result.Add(single with { Alias = Ast.Identifier.Unquoted(name) });
                continue;
            }
            result.Add(item);
        }
        return result;
    }

    private static bool AnyAggregate(Ast.EquatableArray<Ast.SelectItem> items)
    {
        foreach (var item in items)
        {
            if (item is Ast.SingleColumn column && AggregationContext.ContainsAggregate(column.Expression))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The first visible output column that is source column <paramref name="ordinal"/> as is, or -1.
    /// </summary>
    public int SelectedSourceColumn(int ordinal)
    {
        if (IsAggregate || Bound.Root is not LogicalProject project)
            return -1;
        for (var i = 0; i < VisibleColumns; i++)
        {
            if (project.Expressions[i] is BoundColumn column && column.Ordinal == ordinal)
                return i;
        }
        return -1;
    }

    /// <summary>The number of GROUP BY expressions of an aggregate (its first output columns), 0 without.</summary>
    public int GroupKeyCount => FindAggregate(Bound.Root) switch
    {
        LogicalAggregate plain => plain.Keys.Count,
        LogicalWindowedAggregate windowed => windowed.Keys.Count,
        _ => 0,
    };

    /// <summary>GROUP BY expression <paramref name="k"/> as SQL text (for errors).</summary>
    public string GroupKeyText(int k) => FindAggregate(Bound.Root) switch
    {
        LogicalAggregate plain => BoundExprText.Format(plain.Keys[k]),
        LogicalWindowedAggregate windowed => BoundExprText.Format(windowed.Keys[k]),
        _ => "",
    };

    private static LogicalPlan? FindAggregate(LogicalPlan plan) => plan switch
    {
        LogicalAggregate or LogicalWindowedAggregate => plan,
        LogicalProject project => FindAggregate(project.Input),
        LogicalFilter filter => FindAggregate(filter.Input),
        _ => null,
    };

    /// <summary>The visible output column named <paramref name="name"/>, or -1.</summary>
    public int VisibleColumn(string name)
    {
        for (var i = 0; i < VisibleColumns; i++)
        {
            if (Bound.Columns[i].Name == name)
                return i;
        }
        return -1;
    }
}
