namespace Query.Grammar.Ast;

/// <summary>Base of every expression node.</summary>
public abstract record Expr : SyntaxNode;

/// <summary>A <c>$n</c> placeholder of the extended protocol; <see cref="Index"/> is n (1-based).</summary>
public sealed record Parameter(int Index) : Expr;

/// <summary>
/// A column, optionally qualified by a source name or alias (<c>o.amount</c>). Pseudo-columns (ROWTIME,
/// ROWOFFSET, ROWPARTITION, WINDOWSTART, WINDOWEND) are ordinary names in the grammar and are marked here,
/// so the planner can push predicates on them down into storage seeks.
/// </summary>
public sealed record ColumnRef(Identifier? Qualifier, Identifier Name) : Expr
{
    public PseudoColumn PseudoColumn => PseudoColumns.Classify(Name.Value);

    public bool IsPseudoColumn => PseudoColumn != PseudoColumn.None;
}

public enum PseudoColumn
{
    None,
    RowTime,
    RowOffset,
    RowPartition,
    WindowStart,
    WindowEnd,
}

public static class PseudoColumns
{
    /// <summary>Classifies a normalised (lower-case for unquoted) column name.</summary>
    public static PseudoColumn Classify(string name) => name switch
    {
        "rowtime" => PseudoColumn.RowTime,
        "rowoffset" => PseudoColumn.RowOffset,
        "rowpartition" => PseudoColumn.RowPartition,
        "windowstart" => PseudoColumn.WindowStart,
        "windowend" => PseudoColumn.WindowEnd,
        _ => PseudoColumn.None,
    };
}

public enum UnaryOperator
{
    Negate,
    Plus,
    Not,
    /// <summary>PostgreSQL <c>~x</c>: bitwise NOT of an integer.</summary>
    BitNot,
}

public sealed record UnaryExpr(UnaryOperator Operator, Expr Operand) : Expr;

public enum BinaryOperator
{
    Or,
    And,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    IsDistinctFrom,
    IsNotDistinctFrom,
    /// <summary>PostgreSQL <c>~</c>: regular expression match.</summary>
    RegexMatch,
    /// <summary><c>!~</c>.</summary>
    RegexNotMatch,
    /// <summary><c>~*</c>: case-insensitive match.</summary>
    RegexMatchInsensitive,
    /// <summary><c>!~*</c>.</summary>
    RegexNotMatchInsensitive,
    Concat,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    /// <summary>PostgreSQL's bit operators on integers: <c>&amp;</c>, <c>|</c>, <c>#</c> (XOR), <c>&lt;&lt;</c>,
    /// <c>&gt;&gt;</c>.</summary>
    BitAnd,
    BitOr,
    BitXor,
    ShiftLeft,
    ShiftRight,
}

public sealed record BinaryExpr(BinaryOperator Operator, Expr Left, Expr Right) : Expr;

/// <summary><c>x IS [NOT] NULL</c>.</summary>
public sealed record IsNullExpr(Expr Operand, bool Negated) : Expr;

/// <summary><c>x [NOT] BETWEEN low AND high</c>.</summary>
public sealed record BetweenExpr(Expr Operand, Expr Low, Expr High, bool Negated) : Expr;

/// <summary><c>x [NOT] IN (a, b, ...)</c>.</summary>
public sealed record InListExpr(Expr Operand, EquatableArray<Expr> Items, bool Negated) : Expr;

/// <summary><c>x [NOT] IN (SELECT ...)</c>.</summary>
public sealed record InSubqueryExpr(Expr Operand, SelectQuery Subquery, bool Negated) : Expr;

/// <summary><c>x [NOT] LIKE pattern [ESCAPE 'c']</c>; <see cref="CaseInsensitive"/> for ILIKE.</summary>
public sealed record LikeExpr(Expr Operand, Expr Pattern, string? Escape, bool Negated, bool CaseInsensitive) : Expr;

/// <summary>
/// <c>CASE [operand] WHEN ... THEN ... [ELSE ...] END</c>: simple when <see cref="Operand"/> is set, searched
/// otherwise.
/// </summary>
public sealed record CaseExpr(Expr? Operand, EquatableArray<WhenClause> WhenClauses, Expr? Else) : Expr;

public sealed record WhenClause(Expr Condition, Expr Result) : SyntaxNode;

/// <summary><c>CAST(x AS type)</c> and PostgreSQL's <c>x::type</c> (same meaning, same node).</summary>
public sealed record CastExpr(Expr Operand, SqlTypeSyntax Type) : Expr;

/// <summary>
/// A function call: <c>f(a, b)</c>, <c>COUNT(*)</c> (<see cref="Star"/>), <c>COUNT(DISTINCT x)</c>
/// (<see cref="Distinct"/>), optionally with a PostgreSQL window (<c>row_number() OVER (...)</c>).
/// Arguments may be <see cref="LambdaExpr"/> for TRANSFORM, FILTER and REDUCE.
/// </summary>
public sealed record FunctionCall(
    QualifiedName Name, EquatableArray<Expr> Arguments, bool Distinct, bool Star, OverClause? Over) : Expr
{
    /// <summary>An aggregate's own <c>ORDER BY</c> inside the call: <c>array_agg(x ORDER BY y)</c>.</summary>
    public EquatableArray<SortItem> OrderBy { get; init; }
}

/// <summary><c>OVER (PARTITION BY ... ORDER BY ... [frame])</c> of a window function.</summary>
public sealed record OverClause(EquatableArray<Expr> PartitionBy, EquatableArray<SortItem> OrderBy) : SyntaxNode
{
    /// <summary><c>ROWS | RANGE [BETWEEN] ...</c>; null: PostgreSQL's default frame.</summary>
    public WindowFrame? Frame { get; init; }
}

/// <summary>Whether a frame counts rows (<c>ROWS</c>) or peers and values of the ORDER BY key (<c>RANGE</c>).
/// </summary>
public enum FrameUnit
{
    Rows,
    Range,
}

/// <summary>Where a frame starts or ends.</summary>
public enum FrameBoundKind
{
    UnboundedPreceding,
    Preceding,
    CurrentRow,
    Following,
    UnboundedFollowing,
}

/// <summary>A window frame: <c>ROWS BETWEEN 1 PRECEDING AND CURRENT ROW</c>; <c>ROWS x</c> ends at the current
/// row.</summary>
public sealed record WindowFrame(FrameUnit Unit, FrameBound Start, FrameBound End) : SyntaxNode;

/// <summary>One end of a frame; <see cref="Offset"/> for <c>n PRECEDING</c> / <c>n FOLLOWING</c>.</summary>
public sealed record FrameBound(FrameBoundKind Kind, Expr? Offset) : SyntaxNode;

/// <summary><c>x => expr</c> or <c>(x, y) => expr</c>, only as a function argument.</summary>
public sealed record LambdaExpr(EquatableArray<Identifier> Parameters, Expr Body) : Expr;

/// <summary><c>a[i]</c> on an array (1-based, as ksqlDB) or <c>m['k']</c> on a map.</summary>
public sealed record SubscriptExpr(Expr Base, Expr Index) : Expr;

/// <summary>Struct field access: ksqlDB's <c>s->f</c> and PostgreSQL's <c>(s).f</c>.</summary>
public sealed record FieldAccessExpr(Expr Base, Identifier Field) : Expr;

/// <summary><c>ARRAY[a, b, ...]</c>.</summary>
public sealed record ArrayConstructor(EquatableArray<Expr> Items) : Expr;

/// <summary><c>MAP(k := v, ...)</c>.</summary>
public sealed record MapConstructor(EquatableArray<MapEntry> Entries) : Expr;

public sealed record MapEntry(Expr Key, Expr Value) : SyntaxNode;

/// <summary><c>STRUCT(name := v, ...)</c>.</summary>
public sealed record StructConstructor(EquatableArray<StructFieldValue> Fields) : Expr;

public sealed record StructFieldValue(Identifier Name, Expr Value) : SyntaxNode;

/// <summary>A scalar subquery <c>(SELECT ...)</c>.</summary>
public sealed record SubqueryExpr(SelectQuery Query) : Expr;

/// <summary><c>EXISTS (SELECT ...)</c>.</summary>
public sealed record ExistsExpr(SelectQuery Query) : Expr;

/// <summary>PostgreSQL's <c>ARRAY(SELECT ...)</c>.</summary>
public sealed record ArraySubqueryExpr(SelectQuery Query) : Expr;

public enum Quantifier
{
    Any,
    All,
}

/// <summary>
/// <c>x op ANY (array)</c>, <c>x op ALL (...)</c> (SOME is ANY). A subquery operand is a
/// <see cref="SubqueryExpr"/>.
/// </summary>
public sealed record QuantifiedComparisonExpr(BinaryOperator Operator, Quantifier Quantifier, Expr Left, Expr Right)
    : Expr;

/// <summary><c>x COLLATE name</c> (sent by psql's describe queries).</summary>
public sealed record CollateExpr(Expr Operand, QualifiedName Collation) : Expr;
