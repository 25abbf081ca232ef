using Query.Engine.Binding;
using Query.Engine.Types;
using E = System.Linq.Expressions.Expression;

namespace Query.Engine.Execution;

public sealed partial class ExpressionCompiler<TRow>
{
    // Below this many constants a chain of comparisons is as fast as a hash lookup.
    private const int MinItemsForHashSet = 8;

    /// <summary>
    /// <c>x IN (c1, c2, ...)</c> over many constants of a scalar type: one hash-set lookup per row instead of a
    /// comparison per item, and a small delegate instead of IL that grows with the list (100,000 items made IL
    /// the JIT refused: InvalidProgramException). Items that are not constants keep their comparisons.
    /// </summary>
    private bool TryEmitInSet(BoundInList inList, out Emitted emitted)
    {
        emitted = default;
        var type = inList.Value.Type;
        if (type.IsComplex || type.Kind is SqlTypeKind.Bytes || CountConstants(inList) < MinItemsForHashSet)
            return false;
        var set = NewSet(type.ClrType);
        var sawNullConstant = false;
        var others = new List<BoundExpr>();
        foreach (var item in inList.Items)
        {
            if (item is BoundLiteral { Value: null })
                sawNullConstant = true;
            else if (item is BoundLiteral literal)
                set.GetType().GetMethod("Add")!.Invoke(set, [Convert.ChangeType(literal.Value, type.ClrType,
                    System.Globalization.CultureInfo.InvariantCulture)]);
            else
                others.Add(item);
        }
        var probe = Emit(inList.Value);
        var (value, isNull) = NewSlot(SqlType.Boolean);
        var sawNull = E.Variable(typeof(bool), "sawNull" + _variables.Count);
        _variables.Add(sawNull);
        var checks = new List<E>
        {
            E.Assign(value, E.Call(E.Constant(set), set.GetType().GetMethod("Contains")!, probe.Value)),
            E.Assign(sawNull, E.Constant(sawNullConstant)),
        };
        foreach (var item in others)
        {
            var other = Emit(item);
            checks.Add(E.IfThen(E.Not(value), E.Block(other.Code, E.IfThenElse(other.IsNull,
                E.Assign(sawNull, E.Constant(true)),
                E.IfThen(Compare(BinaryOp.Equal, probe.Value, other.Value, type),
                    E.Assign(value, E.Constant(true)))))));
        }
        checks.Add(E.Assign(isNull, E.AndAlso(E.Not(value), sawNull)));
        if (inList.Negated)
            checks.Add(E.Assign(value, E.Not(value)));
        var code = E.Block(probe.Code, E.Assign(isNull, probe.IsNull), E.IfThen(E.Not(probe.IsNull), E.Block(checks)));
        emitted = new Emitted(code, value, isNull);
        return true;
    }

    private static int CountConstants(BoundInList inList)
    {
        var count = 0;
        foreach (var item in inList.Items)
        {
            if (item is BoundLiteral)
                count++;
        }
        return count;
    }

    private static object NewSet(Type elementType) =>
        Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(elementType))!;
}
