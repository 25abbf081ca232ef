using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Binding;

/// <summary>
/// The engine's typed expression tree, produced by the binder from the grammar's AST. Every node knows its SQL
/// type; implicit casts are explicit <see cref="BoundCast"/> nodes, so the compiler never guesses. Compiled once
/// per query by <see cref="Execution.ExpressionCompiler{TRow}"/>.
/// </summary>
public abstract record BoundExpr(SqlType Type);

/// <summary>A column of the row being evaluated, by ordinal.</summary>
public sealed record BoundColumn(int Ordinal, string Name, SqlType Type) : BoundExpr(Type);

public enum PseudoColumn
{
    RowTime,
    RowOffset,
    RowPartition,
}

/// <summary>ROWTIME (BIGINT epoch ms), ROWOFFSET (BIGINT), ROWPARTITION (INTEGER) of the current record.</summary>
public sealed record BoundPseudoColumn(PseudoColumn Column) : BoundExpr(Column == PseudoColumn.RowPartition
    ? SqlType.Int : SqlType.BigInt);

/// <summary>A constant: the engine's CLR value of <see cref="BoundExpr.Type"/>, or null.</summary>
public sealed record BoundLiteral(object? Value, SqlType Type) : BoundExpr(Type)
{
    public static BoundLiteral Null(SqlType type) => new(null, type);

    /// <summary>True for a quoted string literal whose type PostgreSQL would still infer from context.</summary>
    public bool IsUntypedString { get; init; }
}

/// <summary>A <c>$n</c> placeholder (0-based index); replaced by a literal before compilation.</summary>
public sealed record BoundParameter(int Index, SqlType Type) : BoundExpr(Type);

public enum UnaryOp
{
    Negate,
    Not,
}

public sealed record BoundUnary(UnaryOp Op, BoundExpr Operand) : BoundExpr(Operand.Type);

public enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Concat,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
    IsDistinctFrom,
    IsNotDistinctFrom,
}

/// <summary>Both operands already have the operation's input type (the binder inserted casts).</summary>
public sealed record BoundBinary(BinaryOp Op, BoundExpr Left, BoundExpr Right, SqlType Type) : BoundExpr(Type)
{
    public bool IsComparison => Op is BinaryOp.Equal or BinaryOp.NotEqual or BinaryOp.Less or BinaryOp.LessOrEqual
        or BinaryOp.Greater or BinaryOp.GreaterOrEqual;
}

public sealed record BoundIsNull(BoundExpr Operand, bool Negated) : BoundExpr(SqlType.Boolean);

public sealed record BoundWhen(BoundExpr Condition, BoundExpr Result);

public sealed record BoundCase(EquatableArray<BoundWhen> Whens, BoundExpr? Else, SqlType Type) : BoundExpr(Type);

public sealed record BoundCast(BoundExpr Operand, SqlType Type) : BoundExpr(Type);

public sealed record BoundCall(FunctionOverload Function, EquatableArray<BoundExpr> Arguments, SqlType Type)
    : BoundExpr(Type);

/// <summary>LIKE with SQL wildcards <c>%</c> and <c>_</c>; the pattern is usually a literal, compiled once.</summary>
public sealed record BoundLike(BoundExpr Value, BoundExpr Pattern, char? Escape, bool Negated)
    : BoundExpr(SqlType.Boolean);

public sealed record BoundInList(BoundExpr Value, EquatableArray<BoundExpr> Items, bool Negated)
    : BoundExpr(SqlType.Boolean);

/// <summary><c>array[i]</c> (1-based, negative counts from the end, out of range is NULL) or <c>map[key]</c>.</summary>
public sealed record BoundSubscript(BoundExpr Container, BoundExpr Index, SqlType Type) : BoundExpr(Type);

/// <summary><c>struct->field</c>.</summary>
public sealed record BoundFieldAccess(BoundExpr Struct, int FieldIndex, SqlType Type) : BoundExpr(Type);

/// <summary>ARRAY[...], MAP(k := v, ...) (keys then values interleaved) or STRUCT(f := v, ...).</summary>
public sealed record BoundConstructor(EquatableArray<BoundExpr> Items, SqlType Type) : BoundExpr(Type);

/// <summary>A lambda parameter (<c>x</c> in <c>x =&gt; x + 1</c>), by its slot number within the statement.</summary>
public sealed record BoundLambdaVariable(int Slot, string Name, SqlType Type) : BoundExpr(Type);

/// <summary>A lambda: its parameters' slots (in order) and its body.</summary>
public sealed record BoundLambda(EquatableArray<int> Slots, BoundExpr Body);

public enum LambdaFunction
{
    Transform,
    Filter,
    Reduce,
}

/// <summary>
/// TRANSFORM, FILTER or REDUCE over an ARRAY or a MAP. <see cref="Initial"/> is REDUCE's starting state;
/// TRANSFORM of a MAP has two lambdas (new key, new value), every other form one.
/// </summary>
public sealed record BoundLambdaCall(LambdaFunction Function, BoundExpr Collection, BoundExpr? Initial,
    EquatableArray<BoundLambda> Lambdas, SqlType Type) : BoundExpr(Type);
