using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>Evaluates expressions that read no row (literals, deterministic calls) once, at bind time.</summary>
public static class ConstantEvaluator
{
    private static readonly CellRow EmptyRow = new([]);

    public static bool IsConstant(BoundExpr expression)
    {
        Limits.DepthGuard.Enter();
        return IsConstantCore(expression);
    }

    private static bool IsConstantCore(BoundExpr expression) => expression switch
    {
        BoundLiteral => true,
        BoundColumn or BoundPseudoColumn or BoundParameter => false,
        BoundUnary u => IsConstant(u.Operand),
        BoundBinary b => IsConstant(b.Left) && IsConstant(b.Right),
        BoundIsNull n => IsConstant(n.Operand),
        BoundCast c => IsConstant(c.Operand),
        BoundCall call => call.Function.Deterministic && Functions.FunctionRegistry.IsDeterministic(call.Function.Name)
            && All(call.Arguments),
        BoundLike like => IsConstant(like.Value) && IsConstant(like.Pattern),
        BoundInList list => IsConstant(list.Value) && All(list.Items),
        BoundCase c => AllWhens(c) && (c.Else is null || IsConstant(c.Else)),
        BoundSubscript s => IsConstant(s.Container) && IsConstant(s.Index),
        BoundFieldAccess f => IsConstant(f.Struct),
        BoundConstructor c => All(c.Items),
        _ => false,
    };

    private static bool All(EquatableArray<BoundExpr> items)
    {
        foreach (var item in items)
        {
            if (!IsConstant(item))
                return false;
        }
        return true;
    }

    private static bool AllWhens(BoundCase c)
    {
        foreach (var when in c.Whens)
        {
            if (!IsConstant(when.Condition) || !IsConstant(when.Result))
                return false;
        }
        return true;
    }

    /// <summary>The engine CLR value of a constant expression (null for SQL NULL).</summary>
    /// <param name="expression">A constant expression (or, from INSERT VALUES, one that may read the clock).</param>
    /// <param name="clock">The engine's clock, for NOW() / UNIX_TIMESTAMP() in INSERT VALUES.</param>
    public static object? Evaluate(BoundExpr expression, TimeProvider? clock = null)
    {
        // A literal already holds its value: INSERT ... VALUES of thousands of them must not compile each one.
        if (expression is BoundLiteral literal)
            return literal.Value;
        var cells = new Cell[1];
        var projection = ExpressionCompiler<CellRow>.CompileProjection([expression], interpret: true, clock);
        projection(EmptyRow, cells);
        return cells[0].ToObject(expression.Type);
    }
}
