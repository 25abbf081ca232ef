using Query.Grammar.Ast;

namespace Query.Grammar.Formatting;

/// <summary>Queries, relations and windows.</summary>
public sealed partial class SqlFormatter
{
    private void Query(SelectQuery query)
    {
        RuntimeGuard();
        if (query.With is { } with)
            With(with);
        QueryBodyInQuery(query.Body);
        if (!query.OrderBy.IsEmpty)
        {
            Append(" ORDER BY ");
            SortItems(query.OrderBy);
        }
        if (query.Emit != EmitKind.None)
            Append(query.Emit == EmitKind.Changes ? " EMIT CHANGES" : " EMIT FINAL");
        if (query.Limit is not null)
        {
            Append(" LIMIT ");
            Expression(query.Limit);
        }
        if (query.Offset is not null)
        {
            Append(" OFFSET ");
            Expression(query.Offset);
        }
    }

    private void With(WithClause with)
    {
        Append(with.Recursive ? "WITH RECURSIVE " : "WITH ");
        for (var i = 0; i < with.Queries.Count; i++)
        {
            var named = with.Queries[i];
            if (i > 0)
                Append(", ");
            Name(named.Name);
            if (!named.Columns.IsEmpty)
            {
                Append("(");
                for (var c = 0; c < named.Columns.Count; c++)
                {
                    if (c > 0)
                        Append(", ");
                    Name(named.Columns[c]);
                }
                Append(")");
            }
            Append(" AS (");
            Query(named.Query);
            Append(")");
        }
        Append(" ");
    }

    private void QueryBodyInQuery(QueryBody body)
    {
        switch (body)
        {
            case Select select: SelectBody(select); break;
            case SetOperation operation: SetOperationBody(operation); break;
            case SelectQuery nested: Append("("); Query(nested); Append(")"); break;
            default: throw new ArgumentException($"cannot format query body {body.GetType().Name}", nameof(body));
        }
    }

    private void SetOperationBody(SetOperation operation)
    {
        // Left-associative: a set operation on the right needs parentheses, one on the left does not.
        SetOperand(operation.Left, parenthesizeSetOperation: false);
        Append(operation.Operator switch
        {
            SetOperator.Union => " UNION ",
            SetOperator.Except => " EXCEPT ",
            _ => " INTERSECT ",
        });
        if (operation.All)
            Append("ALL ");
        SetOperand(operation.Right, parenthesizeSetOperation: true);
    }

    private void SetOperand(QueryBody body, bool parenthesizeSetOperation)
    {
        if (body is SelectQuery || (parenthesizeSetOperation && body is SetOperation))
        {
            Append("(");
            if (body is SelectQuery query)
                Query(query);
            else
                QueryBodyInQuery(body);
            Append(")");
            return;
        }
        QueryBodyInQuery(body);
    }

    private void SelectBody(Select select)
    {
        Append(select.Distinct ? "SELECT DISTINCT " : "SELECT ");
        for (var i = 0; i < select.Items.Count; i++)
        {
            if (i > 0)
                Append(", ");
            SelectItem(select.Items[i]);
        }
        if (select.From is not null)
        {
            Append(" FROM ");
            Relation(select.From);
        }
        if (select.Window is not null)
        {
            Append(" WINDOW ");
            Window(select.Window);
        }
        Clause(" WHERE ", select.Where);
        ClauseList(" GROUP BY ", select.GroupBy);
        Clause(" HAVING ", select.Having);
        ClauseList(" PARTITION BY ", select.PartitionBy);
    }

    private void Clause(string keyword, Expr? expression)
    {
        if (expression is null)
            return;
        Append(keyword);
        Expression(expression);
    }

    private void ClauseList(string keyword, EquatableArray<Expr> expressions)
    {
        if (expressions.IsEmpty)
            return;
        Append(keyword);
        ExpressionList(expressions);
    }

    private void SelectItem(SelectItem item)
    {
        switch (item)
        {
            case AllColumns { Qualifier: null }: Append("*"); break;
            case AllColumns all: Name(all.Qualifier!).Append(".*"); break;
            case SingleColumn single:
                Expression(single.Expression);
                if (single.Alias is not null)
                    Append(" AS ").Name(single.Alias);
                break;
            default: throw new ArgumentException($"cannot format select item {item.GetType().Name}", nameof(item));
        }
    }

    private void SortItems(EquatableArray<SortItem> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
                Append(", ");
            Expression(items[i].Expression);
            if (items[i].Descending)
                Append(" DESC");
            if (items[i].Nulls != NullsOrder.Default)
                Append(items[i].Nulls == NullsOrder.First ? " NULLS FIRST" : " NULLS LAST");
        }
    }

    private void Relation(Relation relation)
    {
        RuntimeGuard();
        switch (relation)
        {
            case TableRef t: Name(t.Name).Alias(t.Alias, t.ColumnAliases); break;
            case SubqueryRef s:
                Append(s.Lateral ? "LATERAL (" : "(");
                Query(s.Query);
                Append(")");
                Alias(s.Alias, s.ColumnAliases);
                break;
            case FunctionRef f:
                Append(f.Lateral ? "LATERAL " : "");
                Expression(f.Call);
                Alias(f.Alias, f.ColumnAliases);
                break;
            case Join j: JoinRelation(j); break;
            default: throw new ArgumentException($"cannot format relation {relation.GetType().Name}", nameof(relation));
        }
    }

    private void JoinRelation(Join join)
    {
        // A comma list binds looser than JOIN, so it needs parentheses as the left side of a JOIN; any join on
        // the right needs them because chains are left-deep.
        var parenthesizeLeft = join.Kind != JoinKind.Comma && join.Left is Join { Kind: JoinKind.Comma };
        ParenthesizedRelation(join.Left, parenthesizeLeft);
        Append(join.Kind switch
        {
            JoinKind.Comma => ", ",
            JoinKind.Cross => " CROSS JOIN ",
            JoinKind.Left => " LEFT JOIN ",
            JoinKind.Right => " RIGHT JOIN ",
            JoinKind.Full => " FULL JOIN ",
            _ => " JOIN ",
        });
        ParenthesizedRelation(join.Right, join.Right is Join);
        if (join.Within is not null)
            Within(join.Within);
        if (join.On is not null)
        {
            Append(" ON ");
            Expression(join.On);
        }
        else if (!join.Using.IsEmpty)
        {
            Append(" USING (");
            NameList(join.Using);
            Append(")");
        }
    }

    private void ParenthesizedRelation(Relation relation, bool parenthesize)
    {
        if (parenthesize)
            Append("(");
        Relation(relation);
        if (parenthesize)
            Append(")");
    }

    private SqlFormatter Alias(Identifier? alias, EquatableArray<Identifier> columns)
    {
        if (alias is null)
            return this;
        Append(" AS ").Name(alias);
        if (!columns.IsEmpty)
        {
            Append("(");
            NameList(columns);
            Append(")");
        }
        return this;
    }

    private void Within(WithinClause within)
    {
        Append(" WITHIN (").Duration(within.Before);
        if (within.After is not null)
            Append(", ").Duration(within.After);
        Append(")");
        if (within.Grace is not null)
            Append(" GRACE PERIOD ").Duration(within.Grace);
    }

    private void Window(WindowExpr window)
    {
        switch (window)
        {
            case TumblingWindow t: Append("TUMBLING (SIZE ").Duration(t.Size); break;
            case HoppingWindow h:
                Append("HOPPING (SIZE ").Duration(h.Size).Append(", ADVANCE BY ").Duration(h.Advance);
                break;
            case SessionWindow s: Append("SESSION (").Duration(s.Gap); break;
            default: throw new ArgumentException($"cannot format window {window.GetType().Name}", nameof(window));
        }
        if (window.Retention is not null)
            Append(", RETENTION ").Duration(window.Retention);
        if (window.Grace is not null)
            Append(", GRACE PERIOD ").Duration(window.Grace);
        Append(")");
    }

    private SqlFormatter Duration(Duration duration)
    {
        _out.Append(duration.Value).Append(' ').Append(UnitWord(duration.Unit, duration.Value == 1));
        return this;
    }

    private static string UnitWord(TimeUnit unit, bool singular) => (unit, singular) switch
    {
        (TimeUnit.Millisecond, true) => "MILLISECOND",
        (TimeUnit.Millisecond, false) => "MILLISECONDS",
        (TimeUnit.Second, true) => "SECOND",
        (TimeUnit.Second, false) => "SECONDS",
        (TimeUnit.Minute, true) => "MINUTE",
        (TimeUnit.Minute, false) => "MINUTES",
        (TimeUnit.Hour, true) => "HOUR",
        (TimeUnit.Hour, false) => "HOURS",
        (_, true) => "DAY",
        _ => "DAYS",
    };
}
