namespace Query.Grammar.Ast;

/// <summary>What a FROM clause reads: a named source, a subquery, a table function or a join of them.</summary>
public abstract record Relation : SyntaxNode;

/// <summary><c>name [[AS] alias [(columns)]]</c>.</summary>
public sealed record TableRef(QualifiedName Name, Identifier? Alias, EquatableArray<Identifier> ColumnAliases)
    : Relation;

/// <summary><c>[LATERAL] (SELECT ...) [AS] alias</c>.</summary>
public sealed record SubqueryRef(SelectQuery Query, Identifier? Alias, EquatableArray<Identifier> ColumnAliases)
    : Relation
{
    /// <summary>Written with <c>LATERAL</c>: it may read columns of the FROM items before it.</summary>
    public bool Lateral { get; init; }
}

/// <summary>A table function such as <c>generate_series(1, 5) AS s(r)</c>, optionally <c>LATERAL</c>.</summary>
public sealed record FunctionRef(FunctionCall Call, Identifier? Alias, EquatableArray<Identifier> ColumnAliases)
    : Relation
{
    /// <summary>Written with <c>LATERAL</c>.</summary>
    public bool Lateral { get; init; }
}

public enum JoinKind
{
    Inner,
    Left,
    Right,
    Full,
    Cross,
    /// <summary>PostgreSQL's <c>FROM a, b</c>: a cross join that binds looser than JOIN.</summary>
    Comma,
}

/// <summary>
/// <c>left [kind] JOIN right [WITHIN ...] [ON cond | USING (cols)]</c>. Chains are left-deep, as written.
/// </summary>
public sealed record Join(
    JoinKind Kind,
    Relation Left,
    Relation Right,
    WithinClause? Within,
    Expr? On,
    EquatableArray<Identifier> Using) : Relation;

/// <summary>
/// ksqlDB's stream-stream join window: <c>WITHIN n unit</c> (<see cref="After"/> null: the same both ways) or
/// <c>WITHIN (before, after)</c>, with an optional <c>GRACE PERIOD</c>.
/// </summary>
public sealed record WithinClause(Duration Before, Duration? After, Duration? Grace) : SyntaxNode;

/// <summary>The WINDOW clause of an aggregation.</summary>
public abstract record WindowExpr : SyntaxNode
{
    public abstract Duration? Retention { get; init; }

    public abstract Duration? Grace { get; init; }
}

/// <summary><c>WINDOW TUMBLING (SIZE n unit [, RETENTION n unit] [, GRACE PERIOD n unit])</c>.</summary>
public sealed record TumblingWindow(Duration Size, Duration? Retention, Duration? Grace) : WindowExpr
{
    public override Duration? Retention { get; init; } = Retention;

    public override Duration? Grace { get; init; } = Grace;
}

/// <summary><c>WINDOW HOPPING (SIZE n unit, ADVANCE BY n unit [, RETENTION ...] [, GRACE PERIOD ...])</c>.</summary>
public sealed record HoppingWindow(Duration Size, Duration Advance, Duration? Retention, Duration? Grace)
    : WindowExpr
{
    public override Duration? Retention { get; init; } = Retention;

    public override Duration? Grace { get; init; } = Grace;
}

/// <summary><c>WINDOW SESSION (gap unit [, RETENTION ...] [, GRACE PERIOD ...])</c>.</summary>
public sealed record SessionWindow(Duration Gap, Duration? Retention, Duration? Grace) : WindowExpr
{
    public override Duration? Retention { get; init; } = Retention;

    public override Duration? Grace { get; init; } = Grace;
}
