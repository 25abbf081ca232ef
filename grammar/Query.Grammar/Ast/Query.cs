namespace Query.Grammar.Ast;

/// <summary>
/// The body of a query: a <see cref="Select"/>, a <see cref="SetOperation"/> or a nested <see cref="SelectQuery"/>.
/// </summary>
public abstract record QueryBody : SyntaxNode;

/// <summary>
/// A complete query: its body plus the clauses that apply to the whole result. In the common case
/// <see cref="Body"/> is a <see cref="Select"/>. A parenthesized query inside a set operation is a nested
/// <see cref="SelectQuery"/> only when it has clauses of its own; otherwise its body is used directly.
/// </summary>
public sealed record SelectQuery(
    QueryBody Body,
    EquatableArray<SortItem> OrderBy,
    EmitKind Emit,
    Expr? Limit,
    Expr? Offset) : QueryBody
{
    /// <summary>The <c>WITH [RECURSIVE] ...</c> in front of the query, if any.</summary>
    public WithClause? With { get; init; }
}

/// <summary><c>WITH [RECURSIVE] name [(columns)] AS (query), ...</c>.</summary>
public sealed record WithClause(bool Recursive, EquatableArray<NamedQuery> Queries) : SyntaxNode;

/// <summary>One common table expression: <c>name [(columns)] AS (query)</c>.</summary>
public sealed record NamedQuery(Identifier Name, EquatableArray<Identifier> Columns, SelectQuery Query) : SyntaxNode;

/// <summary>
/// One SELECT block: <c>SELECT [DISTINCT] items FROM ... [WINDOW ...] [WHERE ...] [GROUP BY ...] [HAVING ...]
/// [PARTITION BY ...]</c>. <see cref="From"/> is null for <c>SELECT 1</c>; <c>FROM a, b</c> is a
/// <see cref="Join"/> of kind <see cref="JoinKind.Comma"/>.
/// </summary>
public sealed record Select(
    bool Distinct,
    EquatableArray<SelectItem> Items,
    Relation? From,
    WindowExpr? Window,
    Expr? Where,
    EquatableArray<Expr> GroupBy,
    Expr? Having,
    EquatableArray<Expr> PartitionBy) : QueryBody;

public enum SetOperator
{
    Union,
    Except,
    Intersect,
}

/// <summary><c>left UNION [ALL] right</c> (and EXCEPT, INTERSECT); left-associative.</summary>
public sealed record SetOperation(SetOperator Operator, bool All, QueryBody Left, QueryBody Right) : QueryBody;

/// <summary><c>EMIT CHANGES</c> makes a push query; <c>EMIT FINAL</c> emits windows when they close.</summary>
public enum EmitKind
{
    None,
    Changes,
    Final,
}

public enum NullsOrder
{
    Default,
    First,
    Last,
}

public sealed record SortItem(Expr Expression, bool Descending, NullsOrder Nulls) : SyntaxNode;

public abstract record SelectItem : SyntaxNode;

/// <summary><c>*</c> or <c>alias.*</c>.</summary>
public sealed record AllColumns(Identifier? Qualifier) : SelectItem;

/// <summary><c>expr [AS alias]</c>.</summary>
public sealed record SingleColumn(Expr Expression, Identifier? Alias) : SelectItem;
