using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning;

/// <summary>UNION / INTERSECT / EXCEPT [ALL], and a parenthesized query with clauses of its own.</summary>
public sealed partial class SelectPlanner
{
    /// <summary>A query whose body is not one SELECT: its body's rows, then ORDER BY (output columns, by name or
    /// position), LIMIT and OFFSET.</summary>
    private BoundQuery PlanCompound(Ast.SelectQuery query)
    {
        if (query.Emit != Ast.EmitKind.None)
            throw SqlException.FeatureNotSupported("EMIT on a set operation", PositionOf(query));
        var body = PlanBody(query.Body);
        LogicalPlan plan = Visible(body);
        var columns = new List<ColumnInfo>(body.Columns);
        if (query.OrderBy.Count > 0)
        {
            var keys = new List<SortKey>();
            foreach (var item in query.OrderBy)
            {
                var column = ResolveSortColumn(item.Expression, columns);
                if (column < 0)
                    throw SqlException.FeatureNotSupported("ORDER BY an expression over a UNION / INTERSECT / EXCEPT "
                        + "(order by a result column's name or position)", PositionOf(item));
                var nullsFirst = item.Nulls switch
                {
                    Ast.NullsOrder.First => true,
                    Ast.NullsOrder.Last => false,
                    _ => item.Descending,
                };
                keys.Add(new SortKey(column, item.Descending, nullsFirst));
            }
            plan = new LogicalSort(plan, new([.. keys]));
        }
        var limit = Count(query.Limit, "LIMIT");
        var offset = Count(query.Offset, "OFFSET") ?? 0;
        if (limit is not null || offset > 0)
            plan = new LogicalLimit(plan, limit, offset);
        return new BoundQuery(plan, body.Columns, IsPush: false);
    }

    private BoundQuery PlanBody(Ast.QueryBody body) => body switch
    {
        Ast.Select select => PlanSelect(new Ast.SelectQuery(select, default, Ast.EmitKind.None, null, null)
        {
            Span = select.Span,
        }, select),
        Ast.SelectQuery nested => Plan(nested),
        Ast.SetOperation operation => PlanSetOperation(operation),
        _ => throw SqlException.FeatureNotSupported($"query {body.GetType().Name}", PositionOf(body)),
    };

    private BoundQuery PlanSetOperation(Ast.SetOperation operation)
    {
        Limits.DepthGuard.Enter();
        var name = operation.Operator.ToString().ToUpperInvariant();
        var left = PlanBody(operation.Left);
        var right = PlanBody(operation.Right);
        if (left.IsPush || right.IsPush)
            throw SqlException.FeatureNotSupported($"a push query in {name}", PositionOf(operation));
        if (left.Columns.Count != right.Columns.Count)
            throw new SqlException(SqlState.SyntaxError, $"each {name} query must have the same number of columns",
                position: PositionOf(operation.Right));
        var columns = new ColumnInfo[left.Columns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var (a, b) = (left.Columns[i].Type, right.Columns[i].Type);
            var type = a.Kind == SqlTypeKind.Null ? b : b.Kind == SqlTypeKind.Null ? a
                : ValueCast.CommonType(a, b) ?? throw new SqlException(SqlState.DatatypeMismatch,
                    $"{name} types {a} and {b} cannot be matched", position: PositionOf(operation.Right));
            columns[i] = left.Columns[i] with { Type = type };
        }
        var output = new EquatableArray<ColumnInfo>(columns);
        var kind = operation.Operator switch
        {
            Ast.SetOperator.Union => SetOperationKind.Union,
            Ast.SetOperator.Intersect => SetOperationKind.Intersect,
            _ => SetOperationKind.Except,
        };
        var root = new LogicalSetOperation(Conform(left, output, $"{name} query", PositionOf(operation)),
            Conform(right, output, $"{name} query", PositionOf(operation)), kind, operation.All, output);
        return new BoundQuery(root, output, IsPush: false);
    }
}
