using Query.Engine.Types;

namespace Query.Engine.Binding;

/// <summary>
/// Walks the columns a bound expression reads: which ordinals it uses, and the same expression over a row laid
/// out differently (a join's sides are bound over the joined row, then evaluated over their own rows).
/// </summary>
public static class BoundColumns
{
    /// <summary>The lowest and highest ordinal read, or (int.MaxValue, -1) when none; pseudo-columns count as
    /// reading the whole row (int.MinValue, int.MaxValue), since only the row they came from has them.</summary>
    public static (int Min, int Max) Range(BoundExpr expression)
    {
        var min = int.MaxValue;
        var max = -1;
        Rewrite(expression, column =>
        {
            min = Math.Min(min, column.Ordinal);
            max = Math.Max(max, column.Ordinal);
            return column;
        }, pseudo =>
        {
            min = int.MinValue;
            max = int.MaxValue;
        });
        return (min, max);
    }

    /// <summary>Whether every column read lies in [start, start + count) (true for a constant).</summary>
    public static bool Within(BoundExpr expression, int start, int count)
    {
        var (min, max) = Range(expression);
        return max < 0 || (min >= start && max < start + count);
    }

    /// <summary>The expression with every column ordinal moved by <paramref name="delta"/>.</summary>
    public static BoundExpr Shift(BoundExpr expression, int delta) => delta == 0 ? expression
        : Rewrite(expression, column => column with { Ordinal = column.Ordinal + delta }, _ => { });

    /// <summary>The expression with each column replaced by what <paramref name="map"/> gives for it.</summary>
    public static BoundExpr Rewrite(BoundExpr expression, Func<BoundColumn, BoundExpr> map,
        Action<BoundPseudoColumn> pseudo)
    {
        Limits.DepthGuard.Enter();
        BoundExpr R(BoundExpr e) => Rewrite(e, map, pseudo);
        EquatableArray<BoundExpr> All(EquatableArray<BoundExpr> items)
        {
            var result = new BoundExpr[items.Count];
            for (var i = 0; i < result.Length; i++)
                result[i] = R(items[i]);
            return new(result);
        }
        switch (expression)
        {
            case BoundColumn column:
                return map(column);
            case BoundPseudoColumn p:
                pseudo(p);
                return p;
            case BoundLiteral or BoundParameter or BoundLambdaVariable or BoundOuterColumn:
                return expression;
            case BoundSubquery subquery:
                return subquery with
                {
                    Correlations = All(subquery.Correlations),
                    Operand = subquery.Operand is null ? null : R(subquery.Operand),
                };
            case BoundQuantifiedArray quantified:
                return quantified with { Operand = R(quantified.Operand), Array = R(quantified.Array) };
            case BoundUnary unary:
                return unary with { Operand = R(unary.Operand) };
            case BoundBinary binary:
                return binary with { Left = R(binary.Left), Right = R(binary.Right) };
            case BoundIsNull isNull:
                return isNull with { Operand = R(isNull.Operand) };
            case BoundCase c:
                var whens = new BoundWhen[c.Whens.Count];
                for (var i = 0; i < whens.Length; i++)
                    whens[i] = new BoundWhen(R(c.Whens[i].Condition), R(c.Whens[i].Result));
                return c with { Whens = new(whens), Else = c.Else is null ? null : R(c.Else) };
            case BoundCast cast:
                return cast with { Operand = R(cast.Operand) };
            case BoundCall call:
                return call with { Arguments = All(call.Arguments) };
            case BoundLike like:
                return like with { Value = R(like.Value), Pattern = R(like.Pattern) };
            case BoundInList inList:
                return inList with { Value = R(inList.Value), Items = All(inList.Items) };
            case BoundSubscript subscript:
                return subscript with { Container = R(subscript.Container), Index = R(subscript.Index) };
            case BoundFieldAccess field:
                return field with { Struct = R(field.Struct) };
            case BoundConstructor constructor:
                return constructor with { Items = All(constructor.Items) };
            case BoundLambdaCall lambda:
                var lambdas = new BoundLambda[lambda.Lambdas.Count];
                for (var i = 0; i < lambdas.Length; i++)
                    lambdas[i] = lambda.Lambdas[i] with { Body = R(lambda.Lambdas[i].Body) };
                return lambda with
                {
                    Collection = R(lambda.Collection),
                    Initial = lambda.Initial is null ? null : R(lambda.Initial),
                    Lambdas = new(lambdas),
                };
            default:
                throw new InvalidOperationException($"no column walk for {expression.GetType().Name}");
        }
    }

    /// <summary>The conjuncts of an AND tree, in order.</summary>
    public static List<BoundExpr> Conjuncts(BoundExpr predicate)
    {
        var list = new List<BoundExpr>();
        void Walk(BoundExpr e)
        {
            Limits.DepthGuard.Enter();
            if (e is BoundBinary { Op: BinaryOp.And } and)
            {
                Walk(and.Left);
                Walk(and.Right);
            }
            else
            {
                list.Add(e);
            }
        }
        Walk(predicate);
        return list;
    }

    /// <summary>The AND of <paramref name="conjuncts"/>, or null when there are none.</summary>
    public static BoundExpr? And(IReadOnlyList<BoundExpr> conjuncts)
    {
        BoundExpr? result = null;
        foreach (var conjunct in conjuncts)
            result = result is null ? conjunct : new BoundBinary(BinaryOp.And, result, conjunct, SqlType.Boolean);
        return result;
    }
}
