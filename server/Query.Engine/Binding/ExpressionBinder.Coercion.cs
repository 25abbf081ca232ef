using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

public sealed partial class ExpressionBinder
{
    /// <summary>
    /// Converts a bound expression to <paramref name="target"/>: literals are converted now (a bad one fails at bind
    /// time with its position), other expressions get a <see cref="BoundCast"/> when the context allows it.
    /// </summary>
    public static BoundExpr Coerce(BoundExpr expression, SqlType target, CastContext context, int position,
        BoundExpr? other = null)
    {
        var source = expression.Type;
        if (source == target)
            return expression;
        var decimalAssignment = context != CastContext.Implicit && target is DecimalType;
        // A narrow and a wide DECIMAL differ in representation (System.Decimal, WideDecimal): convert even then.
        if (source.Kind == target.Kind && !source.IsComplex && !decimalAssignment && source.ClrType == target.ClrType)
            return expression;
        try
        {
            if (expression is BoundLiteral literal)
                return CoerceLiteral(literal, target, context, position, other);
        }
        catch (SqlException e)
        {
            throw e.WithPosition(position);
        }
        if (source.Kind == SqlTypeKind.Null || ValueCast.CanCast(source, target, context))
            return new BoundCast(expression, target);
        throw Mismatch(source, target, context, position);
    }

    private static BoundExpr CoerceLiteral(BoundLiteral literal, SqlType target, CastContext context, int position,
        BoundExpr? other)
    {
        if (literal.Value is null)
            return BoundLiteral.Null(target);
        if (literal.IsUntypedString)
        {
            var text = (string)literal.Value;
            if (other is BoundPseudoColumn { Column: PseudoColumn.RowTime } && target.Kind == SqlTypeKind.BigInt
                && !long.TryParse(text, out _))
                return new BoundLiteral(Temporal.ParseTimestamp(text), target);
            return new BoundLiteral(ValueCast.ParseText(text, target), target);
        }
        if (!ValueCast.CanCast(literal.Type, target, context))
            throw Mismatch(literal.Type, target, context, position);
        return new BoundLiteral(ValueCast.Convert(literal.Value, literal.Type, target), target);
    }

    private static SqlException Mismatch(SqlType source, SqlType target, CastContext context, int position) =>
        context switch
        {
            CastContext.Explicit => new SqlException("42846", $"cannot cast type {source} to {target}",
                position: position),
            CastContext.Assignment => new SqlException(SqlState.DatatypeMismatch,
                $"column is of type {target} but expression is of type {source}", position: position,
                hint: "You will need to rewrite or cast the expression."),
            _ => new SqlException(SqlState.DatatypeMismatch, $"expected {target} but got {source}", position: position),
        };

    /// <summary>Evaluates constant subtrees now (so pushdown and INSERT see literals), except volatile calls.</summary>
    public static BoundExpr Fold(BoundExpr expression)
    {
        if (expression is BoundLiteral || !ConstantEvaluator.IsConstant(expression))
            return expression;
        return new BoundLiteral(ConstantEvaluator.Evaluate(expression), expression.Type);
    }

    private BoundExpr BindCast(Ast.CastExpr cast)
    {
        if (TryBindCatalogCast(cast, out var catalogCast))
            return catalogCast;
        var position = PositionOf(cast);
        var target = TypeResolver.Resolve(cast.Type);
        var operand = Bind(cast.Operand, target);
        if (operand.Type == target)
            return operand;
        if (!ValueCast.CanCast(operand.Type, target, CastContext.Explicit)
            && operand is not BoundLiteral { IsUntypedString: true })
            throw Mismatch(operand.Type, target, CastContext.Explicit, position);
        if (operand is BoundLiteral)
            return Coerce(operand, target, CastContext.Explicit, position);
        return new BoundCast(operand, target);
    }

    private BoundExpr BindCase(Ast.CaseExpr caseExpression, SqlType? hint)
    {
        var position = PositionOf(caseExpression);
        var operand = caseExpression.Operand is null ? null : Bind(caseExpression.Operand);
        var conditions = new BoundExpr[caseExpression.WhenClauses.Count];
        var results = new List<BoundExpr>();
        for (var i = 0; i < conditions.Length; i++)
        {
            var when = caseExpression.WhenClauses[i];
            conditions[i] = operand is null
                ? BindAs(when.Condition, SqlType.Boolean, CastContext.Implicit)
                : BindComparison(BinaryOp.Equal, operand, Bind(when.Condition, operand.Type), position);
            results.Add(Bind(when.Result, hint));
        }
        if (caseExpression.Else is not null)
            results.Add(Bind(caseExpression.Else, hint));
        var type = CommonResultType(results, position);
        var whens = new BoundWhen[conditions.Length];
        for (var i = 0; i < whens.Length; i++)
            whens[i] = new BoundWhen(conditions[i], Coerce(results[i], type, CastContext.Implicit, position));
        var otherwise = caseExpression.Else is null ? null : Coerce(results[^1], type, CastContext.Implicit, position);
        return new BoundCase(new EquatableArray<BoundWhen>(whens), otherwise, type);
    }

    /// <summary>
    /// CASE / COALESCE result type: the common type of the typed results; untyped strings are STRING, or
    /// <paramref name="untypedHint"/> when no result has a type (all NULL or untyped strings).
    /// </summary>
    private static SqlType CommonResultType(IReadOnlyList<BoundExpr> results, int position,
        SqlType? untypedHint = null)
    {
        SqlType? type = null;
        foreach (var result in results)
        {
            if (result is BoundLiteral { IsUntypedString: true } || result.Type.Kind == SqlTypeKind.Null)
                continue;
            type = type is null ? result.Type : ValueCast.CommonType(type, result.Type)
                ?? throw new SqlException(SqlState.DatatypeMismatch,
                    $"CASE/COALESCE types {type} and {result.Type} cannot be matched", position: position);
        }
        if (type is null && untypedHint is not null)
            return untypedHint;
        if (type is null)
        {
            foreach (var result in results)
            {
                if (result is BoundLiteral { IsUntypedString: true })
                    return SqlType.String;
            }
        }
        return type ?? SqlType.String;
    }
}
