using System.Text;
using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Planning.Logical;

/// <summary>
/// SQL-like text of a bound expression for EXPLAIN: columns by name, implicit casts spelled out, binary
/// operations parenthesised so the tree's shape is unambiguous.
/// </summary>
public static class BoundExprText
{
    public static string Format(BoundExpr expression)
    {
        var builder = new StringBuilder();
        Append(builder, expression);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, BoundExpr expression)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expression)
        {
            case BoundColumn column:
                builder.Append(column.Name);
                break;
            case BoundPseudoColumn pseudo:
                builder.Append(pseudo.Column.ToString().ToUpperInvariant());
                break;
            case BoundLiteral literal:
                AppendLiteral(builder, literal);
                break;
            case BoundParameter parameter:
                builder.Append('$').Append(parameter.Index + 1);
                break;
            case BoundOuterColumn outer:
                builder.Append("outer.").Append(outer.Name);
                break;
            case BoundSubquery subquery:
                if (subquery.Operand is { } operand)
                {
                    Append(builder, operand);
                    builder.Append(' ');
                }
                builder.Append(subquery.Kind.ToString().ToUpperInvariant()).Append(" (subquery")
                    .Append(subquery.Correlations.Count > 0 ? ", correlated)" : ")");
                break;
            case BoundQuantifiedArray quantified:
                Append(builder, quantified.Operand);
                builder.Append(quantified.All ? " ALL (" : " ANY (");
                Append(builder, quantified.Array);
                builder.Append(')');
                break;
            case BoundUnary unary:
                builder.Append(unary.Op == UnaryOp.Negate ? "-" : "NOT ");
                Append(builder, unary.Operand);
                break;
            case BoundBinary binary:
                builder.Append('(');
                Append(builder, binary.Left);
                builder.Append(' ').Append(OperatorText(binary.Op)).Append(' ');
                Append(builder, binary.Right);
                builder.Append(')');
                break;
            case BoundIsNull isNull:
                builder.Append('(');
                Append(builder, isNull.Operand);
                builder.Append(isNull.Negated ? " IS NOT NULL)" : " IS NULL)");
                break;
            case BoundCase caseExpression:
                AppendCase(builder, caseExpression);
                break;
            case BoundCast cast:
                builder.Append("CAST(");
                Append(builder, cast.Operand);
                builder.Append(" AS ").Append(cast.Type).Append(')');
                break;
            case BoundCall call:
                builder.Append(call.Function.Name.ToUpperInvariant());
                AppendList(builder, "(", call.Arguments, ")");
                break;
            case BoundLike like:
                builder.Append('(');
                Append(builder, like.Value);
                builder.Append(like.Negated ? " NOT LIKE " : " LIKE ");
                Append(builder, like.Pattern);
                builder.Append(')');
                break;
            case BoundInList inList:
                builder.Append('(');
                Append(builder, inList.Value);
                AppendList(builder, inList.Negated ? " NOT IN (" : " IN (", inList.Items, "))");
                break;
            default:
                AppendStructural(builder, expression);
                break;
        }
    }

    private static void AppendStructural(StringBuilder builder, BoundExpr expression)
    {
        switch (expression)
        {
            case BoundSubscript subscript:
                Append(builder, subscript.Container);
                builder.Append('[');
                Append(builder, subscript.Index);
                builder.Append(']');
                break;
            case BoundFieldAccess field:
                Append(builder, field.Struct);
                builder.Append("->").Append(field.Struct.Type is StructType s ? s.Fields[field.FieldIndex].Name
                    : field.FieldIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case BoundConstructor constructor:
                var kind = constructor.Type.Kind;
                AppendList(builder, kind == SqlTypeKind.Array ? "ARRAY[" : kind == SqlTypeKind.Map ? "MAP(" : "STRUCT(",
                    constructor.Items, kind == SqlTypeKind.Array ? "]" : ")");
                break;
            default:
                builder.Append(expression.GetType().Name);
                break;
        }
    }

    private static void AppendLiteral(StringBuilder builder, BoundLiteral literal)
    {
        if (literal.Value is null)
            builder.Append("NULL");
        else if (literal.Type.Kind is SqlTypeKind.Boolean)
            builder.Append((bool)literal.Value ? "TRUE" : "FALSE");
        else if (literal.Type.IsNumeric)
            builder.Append(ValueText.Format(literal.Value, literal.Type));
        else
            builder.Append('\'').Append(ValueText.Format(literal.Value, literal.Type).Replace("'", "''",
                StringComparison.Ordinal)).Append('\'');
    }

    private static void AppendCase(StringBuilder builder, BoundCase caseExpression)
    {
        builder.Append("CASE");
        foreach (var when in caseExpression.Whens)
        {
            builder.Append(" WHEN ");
            Append(builder, when.Condition);
            builder.Append(" THEN ");
            Append(builder, when.Result);
        }
        if (caseExpression.Else is not null)
        {
            builder.Append(" ELSE ");
            Append(builder, caseExpression.Else);
        }
        builder.Append(" END");
    }

    private static void AppendList(StringBuilder builder, string open, EquatableArray<BoundExpr> items, string close)
    {
        builder.Append(open);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
                builder.Append(", ");
            Append(builder, items[i]);
        }
        builder.Append(close);
    }

    private static string OperatorText(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Modulo => "%",
        BinaryOp.Concat => "||",
        BinaryOp.Equal => "=",
        BinaryOp.NotEqual => "<>",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.And => "AND",
        BinaryOp.Or => "OR",
        BinaryOp.IsDistinctFrom => "IS DISTINCT FROM",
        _ => "IS NOT DISTINCT FROM",
    };
}
