using System.Linq.Expressions;
using System.Reflection;
using Query.Engine.Binding;
using Query.Engine.Types;
using E = System.Linq.Expressions.Expression;

namespace Query.Engine.Execution;

/// <summary>
/// Compiles bound expressions to IL once per query (System.Linq.Expressions), over a row type that offers typed
/// <c>TryGet…</c> accessors (<see cref="RecordCursor"/> for scans, <see cref="CellRow"/> for aggregated rows).
/// Every node becomes straight-line code that assigns two locals, its value and its NULL flag, so SQL's
/// three-valued logic costs a branch, not an allocation. Columns are read only where an expression uses them.
/// </summary>
public sealed partial class ExpressionCompiler<TRow> where TRow : class
{
    private readonly ParameterExpression _row = E.Parameter(typeof(TRow), "row");
    private readonly List<ParameterExpression> _variables = [];
    private readonly bool _interpret;
    private readonly TimeProvider? _clock;

    private ExpressionCompiler(bool interpret, TimeProvider? clock)
    {
        _interpret = interpret;
        _clock = clock;
    }

    private readonly record struct Emitted(E Code, ParameterExpression Value, ParameterExpression IsNull);

    /// <summary>A WHERE / HAVING predicate: true only when the value is TRUE (NULL and FALSE reject).</summary>
    /// <param name="predicate">The bound predicate.</param>
    /// <param name="interpret">Interpret instead of emitting IL (for expressions evaluated once).</param>
    /// <param name="clock">The engine's clock, passed to functions that read the time (NOW, UNIX_TIMESTAMP()).</param>
    public static Func<TRow, bool> CompilePredicate(BoundExpr predicate, bool interpret = false,
        TimeProvider? clock = null)
    {
        var compiler = new ExpressionCompiler<TRow>(interpret, clock);
        var emitted = compiler.Emit(predicate);
        var body = E.Block(compiler._variables, emitted.Code, E.AndAlso(E.Not(emitted.IsNull), emitted.Value));
        return E.Lambda<Func<TRow, bool>>(body, compiler._row).Compile(interpret);
    }

    /// <summary>Evaluates every expression into the matching cell of the output array.</summary>
    public static Action<TRow, Cell[]> CompileProjection(IReadOnlyList<BoundExpr> expressions, bool interpret = false,
        TimeProvider? clock = null)
    {
        var compiler = new ExpressionCompiler<TRow>(interpret, clock);
        var cells = E.Parameter(typeof(Cell[]), "cells");
        var statements = new List<E>();
        for (var i = 0; i < expressions.Count; i++)
        {
            var emitted = compiler.Emit(expressions[i]);
            statements.Add(emitted.Code);
            statements.Add(E.IfThenElse(emitted.IsNull,
                E.Call(CellWriterMethod("SetNull"), cells, E.Constant(i)),
                StoreCell(cells, i, emitted.Value, expressions[i].Type)));
        }
        statements.Add(E.Empty());
        var body = E.Block(compiler._variables, statements);
        return E.Lambda<Action<TRow, Cell[]>>(body, compiler._row, cells).Compile(compiler._interpret);
    }

    private static MethodInfo CellWriterMethod(string name) => typeof(CellWriter).GetMethod(name)!;

    private static E StoreCell(ParameterExpression cells, int index, E value, SqlType type)
    {
        var setter = type.Kind switch
        {
            SqlTypeKind.Boolean => "SetBoolean",
            SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time => "SetInt32",
            SqlTypeKind.BigInt or SqlTypeKind.Timestamp => "SetInt64",
            SqlTypeKind.Double => "SetDouble",
            SqlTypeKind.Decimal => type is DecimalType { IsWide: true } ? "SetWideDecimal" : "SetDecimal",
            _ => "SetRef",
        };
        var argument = setter == "SetRef" ? E.Convert(value, typeof(object)) : value;
        return E.Call(CellWriterMethod(setter), cells, E.Constant(index), argument);
    }

    private (ParameterExpression Value, ParameterExpression IsNull) NewSlot(SqlType type)
    {
        var value = E.Variable(type.ClrType, "v" + _variables.Count);
        var isNull = E.Variable(typeof(bool), "n" + _variables.Count);
        _variables.Add(value);
        _variables.Add(isNull);
        return (value, isNull);
    }

    private Emitted Emit(BoundExpr expression)
    {
        Limits.DepthGuard.Enter();
        return expression switch
        {
            BoundColumn column => EmitColumn(column),
            BoundPseudoColumn pseudo => EmitPseudo(pseudo),
            BoundLiteral literal => EmitLiteral(literal),
            BoundParameter parameter => throw new InvalidOperationException(
                $"parameter ${parameter.Index + 1} was not bound before compilation"),
            BoundUnary unary => EmitUnary(unary),
            BoundBinary { Op: BinaryOp.And or BinaryOp.Or } logical => EmitLogical(logical),
            BoundBinary { Op: BinaryOp.IsDistinctFrom or BinaryOp.IsNotDistinctFrom } distinct =>
                EmitDistinct(distinct),
            BoundBinary binary => EmitBinary(binary),
            BoundIsNull isNull => EmitIsNull(isNull),
            BoundCase caseExpression => EmitCase(caseExpression),
            BoundCast cast => EmitCast(cast),
            BoundCall call => EmitCall(call),
            BoundLike like => EmitLike(like),
            BoundInList inList => EmitInList(inList),
            BoundSubscript subscript => EmitSubscript(subscript),
            BoundFieldAccess field => EmitFieldAccess(field),
            BoundConstructor constructor => EmitConstructor(constructor),
            BoundLambdaVariable variable => EmitLambdaVariable(variable),
            BoundLambdaCall lambda => EmitLambdaCall(lambda),
            BoundOuterColumn outer => EmitOuterColumn(outer),
            BoundSubquery subquery => EmitSubquery(subquery),
            BoundQuantifiedArray quantified => EmitQuantifiedArray(quantified),
            _ => throw new InvalidOperationException($"cannot compile {expression.GetType().Name}"),
        };
    }

    private Emitted EmitColumn(BoundColumn column)
    {
        var (value, isNull) = NewSlot(column.Type);
        var method = typeof(TRow).GetMethod("TryGet" + AccessorSuffix(column.Type))!;
        var code = E.Assign(isNull, E.Not(E.Call(_row, method, E.Constant(column.Ordinal), value)));
        return new Emitted(code, value, isNull);
    }

    internal static string AccessorSuffix(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => "Boolean",
        SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time => "Int32",
        SqlTypeKind.BigInt or SqlTypeKind.Timestamp => "Int64",
        SqlTypeKind.Double => "Double",
        SqlTypeKind.Decimal => type is DecimalType { IsWide: true } ? "WideDecimal" : "Decimal",
        SqlTypeKind.String => "String",
        SqlTypeKind.Bytes => "Bytes",
        SqlTypeKind.Array => "Array",
        SqlTypeKind.Map => "Map",
        SqlTypeKind.Struct => "Struct",
        _ => throw new InvalidOperationException($"no accessor for {type}"),
    };

    private Emitted EmitPseudo(BoundPseudoColumn pseudo)
    {
        var (value, isNull) = NewSlot(pseudo.Type);
        var field = pseudo.Column switch
        {
            PseudoColumn.RowTime => "TimestampMs",
            PseudoColumn.RowOffset => "Offset",
            _ => "Partition",
        };
        var code = E.Block(E.Assign(value, E.Field(_row, field)), E.Assign(isNull, E.Constant(false)));
        return new Emitted(code, value, isNull);
    }

    private Emitted EmitLiteral(BoundLiteral literal)
    {
        var (value, isNull) = NewSlot(literal.Type);
        var constant = literal.Value is null ? E.Default(value.Type) : (E)E.Constant(literal.Value, value.Type);
        var code = E.Block(E.Assign(value, constant), E.Assign(isNull, E.Constant(literal.Value is null)));
        return new Emitted(code, value, isNull);
    }

    /// <summary>Wraps a computation that runs only when no input is NULL (SQL's strict functions).</summary>
    private Emitted Strict(SqlType type, IReadOnlyList<Emitted> inputs, Func<ParameterExpression, E> compute)
    {
        var (value, isNull) = NewSlot(type);
        var statements = new List<E>();
        E anyNull = E.Constant(false);
        foreach (var input in inputs)
        {
            statements.Add(input.Code);
            anyNull = E.OrElse(anyNull, input.IsNull);
        }
        statements.Add(E.Assign(isNull, anyNull));
        statements.Add(E.IfThen(E.Not(isNull), compute(value)));
        statements.Add(E.Empty());
        return new Emitted(E.Block(statements), value, isNull);
    }

    private Emitted EmitUnary(BoundUnary unary)
    {
        var operand = Emit(unary.Operand);
        return Strict(unary.Type, [operand], value => E.Assign(value, unary.Op == UnaryOp.Not
            ? E.Not(operand.Value)
            : unary.Type.IsIntegral ? E.NegateChecked(operand.Value) : E.Negate(operand.Value)));
    }

    private Emitted EmitIsNull(BoundIsNull test)
    {
        var operand = Emit(test.Operand);
        var (value, isNull) = NewSlot(SqlType.Boolean);
        var code = E.Block(operand.Code,
            E.Assign(value, test.Negated ? E.Not(operand.IsNull) : operand.IsNull),
            E.Assign(isNull, E.Constant(false)));
        return new Emitted(code, value, isNull);
    }

    /// <summary>
    /// AND / OR with SQL's three-valued logic; the right side runs only when it can change the answer.
    /// </summary>
    private Emitted EmitLogical(BoundBinary logical)
    {
        var isAnd = logical.Op == BinaryOp.And;
        var left = Emit(logical.Left);
        var right = Emit(logical.Right);
        var (value, isNull) = NewSlot(SqlType.Boolean);
        E Decides(Emitted side) => E.AndAlso(E.Not(side.IsNull), isAnd ? E.Not(side.Value) : side.Value);
        var decided = E.Block(E.Assign(value, E.Constant(!isAnd)), E.Assign(isNull, E.Constant(false)));
        var undecided = E.Block(E.Assign(isNull, E.OrElse(left.IsNull, right.IsNull)),
            E.Assign(value, E.Constant(isAnd)));
        var code = E.Block(left.Code,
            E.IfThenElse(Decides(left), decided,
                E.Block(right.Code, E.IfThenElse(Decides(right), decided, undecided))));
        return new Emitted(code, value, isNull);
    }

    private Emitted EmitDistinct(BoundBinary distinct)
    {
        var left = Emit(distinct.Left);
        var right = Emit(distinct.Right);
        var (value, isNull) = NewSlot(SqlType.Boolean);
        var differs = E.OrElse(E.NotEqual(left.IsNull, right.IsNull),
            E.AndAlso(E.Not(left.IsNull), E.Not(Compare(BinaryOp.Equal, left.Value, right.Value, distinct.Left.Type))));
        var code = E.Block(left.Code, right.Code,
            E.Assign(value, distinct.Op == BinaryOp.IsDistinctFrom ? differs : E.Not(differs)),
            E.Assign(isNull, E.Constant(false)));
        return new Emitted(code, value, isNull);
    }
}
