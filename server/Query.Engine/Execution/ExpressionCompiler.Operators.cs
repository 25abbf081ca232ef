using System.Reflection;
using Query.Engine.Binding;
using Query.Engine.Types;
using E = System.Linq.Expressions.Expression;

namespace Query.Engine.Execution;

public sealed partial class ExpressionCompiler<TRow>
{
    private static MethodInfo Helper(string name) => typeof(Arithmetic).GetMethod(name)!;

    private Emitted EmitBinary(BoundBinary binary)
    {
        if (TryEmitUtf8Equality(binary, out var utf8))
            return utf8;
        var left = Emit(binary.Left);
        var right = Emit(binary.Right);
        var operandType = binary.Left.Type;
        return Strict(binary.Type, [left, right], value => E.Assign(value, binary.IsComparison
            ? Compare(binary.Op, left.Value, right.Value, operandType)
            : Arithmetic(binary.Op, left.Value, right.Value, binary.Type)));
    }

    /// <summary>
    /// STRING column = / &lt;&gt; literal over stored rows compares the UTF-8 bytes in place: no string is decoded
    /// for rows that do not match, which keeps the scan loop allocation-free.
    /// </summary>
    private bool TryEmitUtf8Equality(BoundBinary binary, out Emitted emitted)
    {
        emitted = default;
        var method = typeof(TRow).GetMethod("TryGetUtf8Equals");
        if (method is null || binary.Op is not (BinaryOp.Equal or BinaryOp.NotEqual))
            return false;
        var (column, literal) = (binary.Left, binary.Right) switch
        {
            (BoundColumn c, BoundLiteral { Value: string l }) => (c, l),
            (BoundLiteral { Value: string l }, BoundColumn c) => (c, l),
            _ => (null, null),
        };
        if (column is null || column.Type.Kind != SqlTypeKind.String)
            return false;
        var (value, isNull) = NewSlot(SqlType.Boolean);
        var bytes = System.Text.Encoding.UTF8.GetBytes(literal!);
        var code = E.Block(
            E.Assign(isNull, E.Not(E.Call(_row, method, E.Constant(column.Ordinal), E.Constant(bytes), value))),
            binary.Op == BinaryOp.NotEqual ? E.Assign(value, E.Not(value)) : E.Empty());
        emitted = new Emitted(code, value, isNull);
        return true;
    }

    private static E Arithmetic(BinaryOp op, E left, E right, SqlType type)
    {
        if (op == BinaryOp.Concat)
            return E.Call(typeof(Limits.ValueSizeLimits).GetMethod(nameof(Limits.ValueSizeLimits.Concat))!, left,
                right);
        if (type is DecimalType { IsWide: true } wide)
            return WideArithmetic(op, left, right, wide);
        var suffix = type.Kind switch
        {
            SqlTypeKind.Int => "Int32",
            SqlTypeKind.BigInt => "Int64",
            SqlTypeKind.Double => "Double",
            _ => "Decimal",
        };
        var isChecked = type.IsIntegral;
        return op switch
        {
            BinaryOp.Add => isChecked ? E.AddChecked(left, right) : E.Add(left, right),
            BinaryOp.Subtract => isChecked ? E.SubtractChecked(left, right) : E.Subtract(left, right),
            BinaryOp.Multiply => isChecked ? E.MultiplyChecked(left, right) : E.Multiply(left, right),
            BinaryOp.Divide => E.Call(Helper("Divide" + suffix), left, right),
            BinaryOp.Modulo => E.Call(Helper("Modulo" + suffix), left, right),
            _ => throw new InvalidOperationException($"not an arithmetic operator: {op}"),
        };
    }

    /// <summary>A wide DECIMAL operation, computed exactly and brought to its static type in one rounding (to the
    /// scale, 22003 past the precision).</summary>
    private static E WideArithmetic(BinaryOp op, E left, E right, DecimalType type)
    {
        var method = op switch
        {
            BinaryOp.Add => nameof(Execution.Arithmetic.AddWideDecimal),
            BinaryOp.Subtract => nameof(Execution.Arithmetic.SubtractWideDecimal),
            BinaryOp.Multiply => nameof(Execution.Arithmetic.MultiplyWideDecimal),
            BinaryOp.Divide => nameof(Execution.Arithmetic.DivideWideDecimal),
            BinaryOp.Modulo => nameof(Execution.Arithmetic.ModuloWideDecimal),
            _ => throw new InvalidOperationException($"not an arithmetic operator: {op}"),
        };
        return E.Call(Helper(method), left, right, E.Constant(type.Precision), E.Constant(type.Scale));
    }

    private static E Compare(BinaryOp op, E left, E right, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.String:
                if (op is BinaryOp.Equal or BinaryOp.NotEqual)
                {
                    var equal = E.Call(typeof(string).GetMethod(nameof(string.Equals), [typeof(string),
                        typeof(string)])!,
                        left, right);
                    return op == BinaryOp.Equal ? equal : E.Not(equal);
                }
                var ordinal = typeof(string).GetMethod(nameof(string.CompareOrdinal), [typeof(string),
                    typeof(string)])!;
                return Relate(op, E.Call(ordinal, left, right), E.Constant(0));
            case SqlTypeKind.Bytes:
                return Relate(op, E.Call(Helper("CompareBytes"), left, right), E.Constant(0));
            case SqlTypeKind.Boolean when op is not (BinaryOp.Equal or BinaryOp.NotEqual):
                // FALSE < TRUE, as in PostgreSQL; IL has no ordering on bool.
                return Relate(op, E.Call(left, typeof(bool).GetMethod(nameof(bool.CompareTo), [typeof(bool)])!, right),
                    E.Constant(0));
            case SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Struct:
                var same = E.Call(Helper("ValueEquals"), E.Convert(left, typeof(object)), E.Convert(right,
                    typeof(object)));
                return op == BinaryOp.Equal ? same : E.Not(same);
            default:
                return Relate(op, left, right);
        }
    }

    private static E Relate(BinaryOp op, E left, E right) => op switch
    {
        BinaryOp.Equal => E.Equal(left, right),
        BinaryOp.NotEqual => E.NotEqual(left, right),
        BinaryOp.Less => E.LessThan(left, right),
        BinaryOp.LessOrEqual => E.LessThanOrEqual(left, right),
        BinaryOp.Greater => E.GreaterThan(left, right),
        _ => E.GreaterThanOrEqual(left, right),
    };

    private Emitted EmitCase(BoundCase caseExpression)
    {
        var (value, isNull) = NewSlot(caseExpression.Type);
        E result;
        if (caseExpression.Else is { } otherwise)
        {
            var elseEmitted = Emit(otherwise);
            result = E.Block(elseEmitted.Code, E.Assign(value, elseEmitted.Value), E.Assign(isNull,
                elseEmitted.IsNull));
        }
        else
        {
            result = E.Block(E.Assign(value, E.Default(value.Type)), E.Assign(isNull, E.Constant(true)));
        }
        for (var i = caseExpression.Whens.Count - 1; i >= 0; i--)
        {
            var condition = Emit(caseExpression.Whens[i].Condition);
            var branch = Emit(caseExpression.Whens[i].Result);
            var taken = E.Block(branch.Code, E.Assign(value, branch.Value), E.Assign(isNull, branch.IsNull));
            result = E.Block(condition.Code,
                E.IfThenElse(E.AndAlso(E.Not(condition.IsNull), condition.Value), taken, result));
        }
        return new Emitted(result, value, isNull);
    }

    private Emitted EmitCast(BoundCast cast)
    {
        var operand = Emit(cast.Operand);
        if (cast.Operand.Type.Kind == SqlTypeKind.Null)
        {
            var (value, isNull) = NewSlot(cast.Type);
            return new Emitted(E.Block(E.Assign(value, E.Default(value.Type)), E.Assign(isNull, E.Constant(true))),
                value, isNull);
        }
        return Strict(cast.Type, [operand], value =>
            E.Assign(value, CastEmitter.Convert(operand.Value, cast.Operand.Type, cast.Type)));
    }

    private Emitted EmitLike(BoundLike like)
    {
        var value = Emit(like.Value);
        if (like.Pattern is BoundLiteral { Value: string pattern })
        {
            var matcher = new LikeMatcher(pattern, like.Escape);
            var isMatch = typeof(LikeMatcher).GetMethod(nameof(LikeMatcher.IsMatch))!;
            return Strict(SqlType.Boolean, [value], result =>
            {
                E match = E.Call(E.Constant(matcher), isMatch, value.Value);
                return E.Assign(result, like.Negated ? E.Not(match) : match);
            });
        }
        var patternEmitted = Emit(like.Pattern);
        var escape = E.Constant(like.Escape?.ToString(), typeof(string));
        return Strict(SqlType.Boolean, [value, patternEmitted], result =>
        {
            E match = E.Call(typeof(LikeMatcher).GetMethod(nameof(LikeMatcher.Match))!, value.Value,
                patternEmitted.Value, escape);
            return E.Assign(result, like.Negated ? E.Not(match) : match);
        });
    }

    /// <summary>x IN (a, b, …): TRUE on a match; otherwise NULL if x or any item is NULL; else FALSE.</summary>
    private Emitted EmitInList(BoundInList inList)
    {
        if (TryEmitInSet(inList, out var inSet))
            return inSet;
        var probe = Emit(inList.Value);
        var (value, isNull) = NewSlot(SqlType.Boolean);
        var sawNull = E.Variable(typeof(bool), "sawNull" + _variables.Count);
        _variables.Add(sawNull);
        var checks = new List<E> { E.Assign(value, E.Constant(false)), E.Assign(sawNull, E.Constant(false)) };
        foreach (var item in inList.Items)
        {
            var emitted = Emit(item);
            checks.Add(emitted.Code);
            checks.Add(E.IfThenElse(emitted.IsNull, E.Assign(sawNull, E.Constant(true)),
                E.IfThen(Compare(BinaryOp.Equal, probe.Value, emitted.Value, inList.Value.Type),
                    E.Assign(value, E.Constant(true)))));
        }
        checks.Add(E.Assign(isNull, E.AndAlso(E.Not(value), sawNull)));
        if (inList.Negated)
            checks.Add(E.Assign(value, E.Not(value)));
        var code = E.Block(probe.Code, E.Assign(isNull, probe.IsNull), E.IfThen(E.Not(probe.IsNull), E.Block(checks)));
        return new Emitted(code, value, isNull);
    }

    private Emitted EmitSubscript(BoundSubscript subscript)
    {
        var container = Emit(subscript.Container);
        var index = Emit(subscript.Index);
        E Lookup() => subscript.Container.Type.Kind == SqlTypeKind.Array
            ? E.Call(Helper("ArrayElement"), container.Value, index.Value)
            : E.Call(Helper("MapValue"), container.Value, E.Convert(index.Value, typeof(object)));
        return UnboxObject(subscript.Type, [container, index], Lookup);
    }

    private Emitted EmitFieldAccess(BoundFieldAccess field)
    {
        var structure = Emit(field.Struct);
        return UnboxObject(field.Type, [structure],
            () => E.Call(Helper("StructField"), structure.Value, E.Constant(field.FieldIndex)));
    }

    /// <summary>Runs a strict computation returning object (null = SQL NULL) and unboxes it to the SQL type.</summary>
    private Emitted UnboxObject(SqlType type, IReadOnlyList<Emitted> inputs, Func<E> compute)
    {
        var boxed = E.Variable(typeof(object), "o" + _variables.Count);
        _variables.Add(boxed);
        var inner = Strict(type, inputs, value => E.Block(
            E.Assign(boxed, compute()),
            E.IfThen(E.NotEqual(boxed, E.Constant(null)), E.Assign(value, E.Convert(boxed, value.Type)))));
        var code = E.Block(E.Assign(boxed, E.Constant(null)), inner.Code,
            E.Assign(inner.IsNull, E.OrElse(inner.IsNull, E.Equal(boxed, E.Constant(null)))));
        return new Emitted(code, inner.Value, inner.IsNull);
    }

    private Emitted EmitConstructor(BoundConstructor constructor)
    {
        var items = new List<Emitted>();
        foreach (var item in constructor.Items)
            items.Add(Emit(item));
        var (value, isNull) = NewSlot(constructor.Type);
        var statements = new List<E>();
        var boxedItems = new List<E>();
        foreach (var item in items)
        {
            statements.Add(item.Code);
            boxedItems.Add(Box(item));
        }
        var factory = constructor.Type.Kind switch
        {
            SqlTypeKind.Array => "NewArray",
            SqlTypeKind.Map => "NewMap",
            _ => "NewStruct",
        };
        statements.Add(E.Assign(value, E.Call(Helper(factory), E.NewArrayInit(typeof(object), boxedItems))));
        statements.Add(E.Assign(isNull, E.Constant(false)));
        return new Emitted(E.Block(statements), value, isNull);
    }

    private static E Box(Emitted item) =>
        E.Condition(item.IsNull, E.Constant(null, typeof(object)), E.Convert(item.Value, typeof(object)));
}
