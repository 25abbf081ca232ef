using System.Globalization;
using Query.Grammar.Ast;

namespace Query.Grammar.Formatting;

/// <summary>Expressions, printed with the fewest parentheses the grammar's precedence allows.</summary>
public sealed partial class SqlFormatter
{
    // Binding strength, loosest first, matching the grammar: OR < AND < NOT < predicates < & | # << >> < || <
    // + - < * / % < unary < primary. An operand weaker than its slot requires is parenthesized.
    private const int OrLevel = 1;
    private const int AndLevel = 2;
    private const int NotLevel = 3;
    private const int PredicateLevel = 4;
    private const int BitwiseLevel = 5;
    private const int ConcatLevel = 6;
    private const int AdditiveLevel = 7;
    private const int MultiplicativeLevel = 8;
    private const int UnaryLevel = 9;
    private const int PrimaryLevel = 10;

    private static int Level(Expr expression) => expression switch
    {
        BinaryExpr b => b.Operator switch
        {
            BinaryOperator.Or => OrLevel,
            BinaryOperator.And => AndLevel,
            BinaryOperator.Concat => ConcatLevel,
            BinaryOperator.BitAnd or BinaryOperator.BitOr or BinaryOperator.BitXor or BinaryOperator.ShiftLeft
                or BinaryOperator.ShiftRight => BitwiseLevel,
            BinaryOperator.Add or BinaryOperator.Subtract => AdditiveLevel,
            BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo => MultiplicativeLevel,
            _ => PredicateLevel,
        },
        UnaryExpr { Operator: UnaryOperator.Not } => NotLevel,
        UnaryExpr => UnaryLevel,
        IsNullExpr or BetweenExpr or InListExpr or InSubqueryExpr or LikeExpr or QuantifiedComparisonExpr
            => PredicateLevel,
        // A lambda swallows everything to its right, so it is the loosest of all.
        LambdaExpr => 0,
        _ => PrimaryLevel,
    };

    private void Expression(Expr expression) => Operand(expression, 0);

    /// <summary>
    /// Prints <paramref name="expression"/>, in parentheses when it binds looser than <paramref name="minLevel"/>.
    /// </summary>
    private void Operand(Expr expression, int minLevel)
    {
        RuntimeGuard();
        if (Level(expression) < minLevel)
        {
            Append("(");
            Unparenthesized(expression);
            Append(")");
            return;
        }
        Unparenthesized(expression);
    }

    private void Unparenthesized(Expr expression)
    {
        switch (expression)
        {
            case Literal literal: LiteralValue(literal); break;
            case Parameter p: _out.Append('$').Append(p.Index); break;
            case ColumnRef c: ColumnReference(c); break;
            case BinaryExpr b: Binary(b); break;
            case UnaryExpr u: Unary(u); break;
            case IsNullExpr n: Operand(n.Operand, BitwiseLevel); Append(n.Negated ? " IS NOT NULL" : " IS NULL"); break;
            case BetweenExpr b: Between(b); break;
            case InListExpr i: InList(i); break;
            case InSubqueryExpr i: InSubquery(i); break;
            case LikeExpr l: Like(l); break;
            case QuantifiedComparisonExpr q: Quantified(q); break;
            default: PrimaryExpression(expression); break;
        }
    }

    private void PrimaryExpression(Expr expression)
    {
        switch (expression)
        {
            case CaseExpr c: Case(c); break;
            case CastExpr c: Append("CAST("); Expression(c.Operand); Append(" AS "); Type(c.Type); Append(")"); break;
            case FunctionCall f: Function(f); break;
            case LambdaExpr l: Lambda(l); break;
            case SubscriptExpr s:
                Operand(s.Base, PrimaryLevel);
                Append("[");
                Operand(s.Index, BitwiseLevel);
                Append("]");
                break;
            case FieldAccessExpr f: Operand(f.Base, PrimaryLevel); Append("->").Name(f.Field); break;
            case ArrayConstructor a: Append("ARRAY["); ExpressionList(a.Items); Append("]"); break;
            case MapConstructor m: MapValue(m); break;
            case StructConstructor s: StructValue(s); break;
            case SubqueryExpr s: Append("("); Query(s.Query); Append(")"); break;
            case ExistsExpr e: Append("EXISTS ("); Query(e.Query); Append(")"); break;
            case ArraySubqueryExpr a: Append("ARRAY("); Query(a.Query); Append(")"); break;
            case CollateExpr c: Operand(c.Operand, PrimaryLevel); Append(" COLLATE ").Name(c.Collation); break;
            default:
                throw new ArgumentException($"cannot format {expression.GetType().Name}", nameof(expression));
        }
    }

    private void ColumnReference(ColumnRef column)
    {
        if (column.Qualifier is not null)
            Name(column.Qualifier).Append(".");
        Name(column.Name);
    }

    private void Binary(BinaryExpr binary)
    {
        var level = Level(binary);
        if (level == PredicateLevel)
        {
            // Comparisons take value expressions on both sides and do not chain.
            Operand(binary.Left, BitwiseLevel);
            Append(" ").Append(OperatorText(binary.Operator)).Append(" ");
            Operand(binary.Right, BitwiseLevel);
            return;
        }
        // Left-associative: the right operand must bind strictly tighter. AND/OR operands are boolean
        // expressions, where NOT sits between AND and the predicates.
        Operand(binary.Left, level);
        Append(" ").Append(OperatorText(binary.Operator)).Append(" ");
        Operand(binary.Right, level + 1);
    }

    private static string OperatorText(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => "OR",
        BinaryOperator.And => "AND",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "<>",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.IsDistinctFrom => "IS DISTINCT FROM",
        BinaryOperator.IsNotDistinctFrom => "IS NOT DISTINCT FROM",
        BinaryOperator.RegexMatch => "~",
        BinaryOperator.RegexNotMatch => "!~",
        BinaryOperator.RegexMatchInsensitive => "~*",
        BinaryOperator.RegexNotMatchInsensitive => "!~*",
        BinaryOperator.Concat => "||",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.BitAnd => "&",
        BinaryOperator.BitOr => "|",
        BinaryOperator.BitXor => "#",
        BinaryOperator.ShiftLeft => "<<",
        BinaryOperator.ShiftRight => ">>",
        _ => "%",
    };

    private void Unary(UnaryExpr unary)
    {
        if (unary.Operator == UnaryOperator.Not)
        {
            Append("NOT ");
            Operand(unary.Operand, NotLevel);
            return;
        }
        Append(unary.Operator switch
        {
            UnaryOperator.Negate => "-",
            UnaryOperator.Plus => "+",
            _ => "~",
        });
        // "- -x" must not become the comment "--x"; a nested sign is parenthesized instead.
        Operand(unary.Operand, unary.Operand is UnaryExpr ? PrimaryLevel : UnaryLevel);
    }

    private void Between(BetweenExpr between)
    {
        Operand(between.Operand, BitwiseLevel);
        Append(between.Negated ? " NOT BETWEEN " : " BETWEEN ");
        Operand(between.Low, BitwiseLevel);
        Append(" AND ");
        Operand(between.High, BitwiseLevel);
    }

    private void InList(InListExpr inList)
    {
        Operand(inList.Operand, BitwiseLevel);
        Append(inList.Negated ? " NOT IN (" : " IN (");
        ExpressionList(inList.Items);
        Append(")");
    }

    private void InSubquery(InSubqueryExpr inSubquery)
    {
        Operand(inSubquery.Operand, BitwiseLevel);
        Append(inSubquery.Negated ? " NOT IN (" : " IN (");
        Query(inSubquery.Subquery);
        Append(")");
    }

    private void Like(LikeExpr like)
    {
        Operand(like.Operand, BitwiseLevel);
        Append(like.Negated ? " NOT" : "").Append(like.CaseInsensitive ? " ILIKE " : " LIKE ");
        Operand(like.Pattern, BitwiseLevel);
        if (like.Escape is not null)
            Append(" ESCAPE ").StringLiteralText(like.Escape);
    }

    private void Quantified(QuantifiedComparisonExpr quantified)
    {
        Operand(quantified.Left, BitwiseLevel);
        Append(" ").Append(OperatorText(quantified.Operator))
            .Append(quantified.Quantifier == Quantifier.All ? " ALL " : " ANY ");
        if (quantified.Right is SubqueryExpr subquery)
        {
            Append("(");
            Query(subquery.Query);
            Append(")");
            return;
        }
        Append("(");
        Expression(quantified.Right);
        Append(")");
    }

    private void Case(CaseExpr expression)
    {
        Append("CASE");
        if (expression.Operand is not null)
        {
            Append(" ");
            Expression(expression.Operand);
        }
        foreach (var when in expression.WhenClauses)
        {
            Append(" WHEN ");
            Expression(when.Condition);
            Append(" THEN ");
            Expression(when.Result);
        }
        if (expression.Else is not null)
        {
            Append(" ELSE ");
            Expression(expression.Else);
        }
        Append(" END");
    }

    private void Function(FunctionCall call)
    {
        Name(call.Name).Append("(");
        if (call.Star)
            Append("*");
        else
        {
            if (call.Distinct)
                Append("DISTINCT ");
            ExpressionList(call.Arguments);
            if (!call.OrderBy.IsEmpty)
            {
                Append(" ORDER BY ");
                SortItems(call.OrderBy);
            }
        }
        Append(")");
        if (call.Over is null)
            return;
        Append(" OVER (");
        if (!call.Over.PartitionBy.IsEmpty)
        {
            Append("PARTITION BY ");
            ExpressionList(call.Over.PartitionBy);
        }
        if (!call.Over.OrderBy.IsEmpty)
        {
            Append(call.Over.PartitionBy.IsEmpty ? "ORDER BY " : " ORDER BY ");
            SortItems(call.Over.OrderBy);
        }
        if (call.Over.Frame is { } frame)
        {
            Append(call.Over.PartitionBy.IsEmpty && call.Over.OrderBy.IsEmpty ? "" : " ");
            Append(frame.Unit == FrameUnit.Rows ? "ROWS BETWEEN " : "RANGE BETWEEN ");
            FrameBoundText(frame.Start);
            Append(" AND ");
            FrameBoundText(frame.End);
        }
        Append(")");
    }

    private void FrameBoundText(FrameBound bound)
    {
        switch (bound.Kind)
        {
            case FrameBoundKind.UnboundedPreceding:
                Append("UNBOUNDED PRECEDING");
                break;
            case FrameBoundKind.UnboundedFollowing:
                Append("UNBOUNDED FOLLOWING");
                break;
            case FrameBoundKind.CurrentRow:
                Append("CURRENT ROW");
                break;
            default:
                Expression(bound.Offset!);
                Append(bound.Kind == FrameBoundKind.Preceding ? " PRECEDING" : " FOLLOWING");
                break;
        }
    }

    private void Lambda(LambdaExpr lambda)
    {
        if (lambda.Parameters.Count == 1)
            Name(lambda.Parameters[0]);
        else
        {
            Append("(");
            NameList(lambda.Parameters);
            Append(")");
        }
        Append(" => ");
        Expression(lambda.Body);
    }

    private void MapValue(MapConstructor map)
    {
        Append("MAP(");
        for (var i = 0; i < map.Entries.Count; i++)
        {
            if (i > 0)
                Append(", ");
            Expression(map.Entries[i].Key);
            Append(" := ");
            Expression(map.Entries[i].Value);
        }
        Append(")");
    }

    private void StructValue(StructConstructor value)
    {
        Append("STRUCT(");
        for (var i = 0; i < value.Fields.Count; i++)
        {
            if (i > 0)
                Append(", ");
            Name(value.Fields[i].Name).Append(" := ");
            Expression(value.Fields[i].Value);
        }
        Append(")");
    }

    private void ExpressionList(EquatableArray<Expr> expressions)
    {
        for (var i = 0; i < expressions.Count; i++)
        {
            if (i > 0)
                Append(", ");
            Expression(expressions[i]);
        }
    }

    private void LiteralValue(Literal literal)
    {
        switch (literal)
        {
            case NullLiteral: Append("NULL"); break;
            case BooleanLiteral b: Append(b.Value ? "TRUE" : "FALSE"); break;
            case IntegerLiteral n: Number(n.Value.ToString(CultureInfo.InvariantCulture)); break;
            case DecimalLiteral d: Number(d.Text); break;
            case DoubleLiteral d: Number(DoubleText(d.Value)); break;
            case StringLiteral s: StringLiteralText(s.Value); break;
            case TimestampLiteral t: Append("TIMESTAMP ").StringLiteralText(t.Value); break;
            case DateLiteral d: Append("DATE ").StringLiteralText(d.Value); break;
            case TimeLiteral t: Append("TIME ").StringLiteralText(t.Value); break;
            case IntervalLiteral i:
                Append("INTERVAL ").StringLiteralText(i.Value);
                if (i.Unit is { } unit)
                    Append(" ").Append(UnitWord(unit, singular: true));
                break;
            default: throw new ArgumentException($"cannot format literal {literal.GetType().Name}", nameof(literal));
        }
    }

    /// <summary>Negative numbers only come from code, not the parser; parentheses keep them one operand.</summary>
    private void Number(string text)
    {
        if (text.StartsWith('-'))
            Append("(").Append(text).Append(")");
        else
            Append(text);
    }

    /// <summary>Shortest round-trip text, always with an exponent so it reads back as a DOUBLE.</summary>
    private static string DoubleText(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) ? text : text + "E0";
    }

    private SqlFormatter StringLiteralText(string value)
    {
        _out.Append('\'').Append(value.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
        return this;
    }
}
