using Query.Engine.Errors;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>Subqueries in expressions (scalar, EXISTS, IN, ANY / ALL, ARRAY) and ANY / ALL over an array.</summary>
public sealed partial class ExpressionBinder
{
    /// <summary>The enclosing query, when this binder binds a subquery's expressions (correlated names).</summary>
    public OuterScope? Outer { get; init; }

    /// <summary>Plans a subquery of an expression of this binder; null where subqueries are not supported.</summary>
    public Func<Ast.SelectQuery, OuterScope, BoundQuery>? PlanSubquery { get; init; }

    /// <summary>The limits a subquery's runs are held to.</summary>
    public SubquerySettings SubquerySettings { get; init; } = SubquerySettings.Default;

    private BoundExpr BindSubquery(SubqueryKind kind, Ast.SelectQuery query, Ast.Expr? operand, BinaryOp op,
        Ast.SyntaxNode node)
    {
        var position = PositionOf(node);
        if (PlanSubquery is null)
            throw SqlException.FeatureNotSupported("a subquery in this clause", position);
        if (query.Emit != Ast.EmitKind.None)
            throw SqlException.FeatureNotSupported("a push query (EMIT) as a subquery", position);
        var outer = new OuterScope(this);
        var plan = PlanSubquery(query, outer);
        if (kind != SubqueryKind.Exists && plan.Columns.Count != 1)
            throw new SqlException(SqlState.SyntaxError, "subquery must return only one column", position: position);
        var column = kind == SubqueryKind.Exists ? SqlType.Null : plan.Columns[0].Type;
        BoundExpr? boundOperand = null;
        BoundExpr? comparison = null;
        if (operand is not null)
            (boundOperand, comparison) = BindElementComparison(operand, op, column, position);
        var type = kind switch
        {
            SubqueryKind.Scalar => column,
            SubqueryKind.Array => new ArrayType(column),
            _ => SqlType.Boolean,
        };
        return new BoundSubquery(kind, plan, outer.Row, new([.. outer.Correlations]), boundOperand, comparison,
            SubquerySettings, type);
    }

    /// <summary>The operand of IN / ANY / ALL and its comparison with one element of type
    /// <paramref name="element"/>, bound over a two-column row (operand, element).</summary>
    private (BoundExpr Operand, BoundExpr Comparison) BindElementComparison(Ast.Expr operand, BinaryOp op,
        SqlType element, int position)
    {
        var bound = Bind(operand, element);
        if (bound is BoundLiteral { IsUntypedString: true } && element.Kind != SqlTypeKind.Null)
            bound = Coerce(bound, element, CastContext.Implicit, position);
        var comparison = BindComparison(op, new BoundColumn(0, "operand", bound.Type),
            new BoundColumn(1, "element", element), position);
        return (bound, comparison);
    }

    private BoundExpr BindInSubquery(Ast.InSubqueryExpr inSubquery)
    {
        var any = BindSubquery(SubqueryKind.Any, inSubquery.Subquery, inSubquery.Operand, BinaryOp.Equal, inSubquery);
        return inSubquery.Negated ? new BoundUnary(UnaryOp.Not, any) : any;
    }

    private BoundExpr BindQuantified(Ast.QuantifiedComparisonExpr quantified)
    {
        var position = PositionOf(quantified);
        if (quantified.Operator is not (Ast.BinaryOperator.Equal or Ast.BinaryOperator.NotEqual
            or Ast.BinaryOperator.Less or Ast.BinaryOperator.LessOrEqual or Ast.BinaryOperator.Greater
            or Ast.BinaryOperator.GreaterOrEqual))
            throw SqlException.FeatureNotSupported($"ANY / ALL with operator {quantified.Operator}", position);
        var op = ToComparison(quantified.Operator);
        var all = quantified.Quantifier == Ast.Quantifier.All;
        if (quantified.Right is Ast.SubqueryExpr subquery)
            return BindSubquery(all ? SubqueryKind.All : SubqueryKind.Any, subquery.Query, quantified.Left, op,
                quantified);
        BoundExpr left;
        BoundExpr array;
        if (quantified.Left is Ast.Parameter)
        {
            // $1 = ANY(tags): the parameter takes the array's element type.
            array = Bind(quantified.Right);
            left = Bind(quantified.Left, (array.Type as ArrayType)?.Element);
        }
        else
        {
            left = Bind(quantified.Left);
            var hint = left.Type.Kind == SqlTypeKind.Null || left is BoundLiteral { IsUntypedString: true }
                ? null : new ArrayType(left.Type);
            array = Bind(quantified.Right, hint);
            if (array is BoundLiteral { IsUntypedString: true } && hint is not null)
                array = Coerce(array, hint, CastContext.Implicit, position);
        }
        if (array.Type is not ArrayType arrayType)
            throw new SqlException(SqlState.WrongObjectType,
                $"op ANY/ALL (array) requires array on right side, not {array.Type}", position: position);
        if (left is BoundLiteral { IsUntypedString: true } && arrayType.Element.Kind != SqlTypeKind.Null)
            left = Coerce(left, arrayType.Element, CastContext.Implicit, position);
        var comparison = BindComparison(op, new BoundColumn(0, "operand", left.Type),
            new BoundColumn(1, "element", arrayType.Element), position);
        return new BoundQuantifiedArray(all, left, array, comparison);
    }
}
