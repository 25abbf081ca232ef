using Query.Engine.Binding;
using Query.Engine.Types;
using E = System.Linq.Expressions.Expression;

namespace Query.Engine.Execution;

/// <summary>Subqueries (run by a <see cref="SubqueryEvaluator"/>), their outer columns, ANY / ALL of arrays.</summary>
public sealed partial class ExpressionCompiler<TRow>
{
    private Emitted EmitOuterColumn(BoundOuterColumn column)
    {
        var (value, isNull) = NewSlot(column.Type);
        if (column.Type.Kind == SqlTypeKind.Null)
            return new Emitted(E.Assign(isNull, E.Constant(true)), value, isNull);
        var row = E.Property(E.Constant(column.Outer), nameof(OuterRow.Row));
        var method = typeof(CellRow).GetMethod("TryGet" + AccessorSuffix(column.Type))!;
        return new Emitted(E.Assign(isNull, E.Not(E.Call(row, method, E.Constant(column.Index), value))), value,
            isNull);
    }

    private Emitted EmitSubquery(BoundSubquery subquery)
    {
        var evaluator = new SubqueryEvaluator(subquery, _interpret, _clock ?? TimeProvider.System);
        var inputs = new List<BoundExpr>(subquery.Correlations);
        if (subquery.Operand is { } operand)
            inputs.Add(operand);
        var statements = new List<E>();
        var cells = StoreAll(inputs, statements);
        var (value, isNull) = NewSlot(subquery.Type);
        if (subquery.Kind is SubqueryKind.Scalar or SubqueryKind.Array)
        {
            var row = E.Variable(typeof(CellRow), "r" + _variables.Count);
            _variables.Add(row);
            statements.Add(E.Assign(row, E.Call(E.Constant(evaluator),
                typeof(SubqueryEvaluator).GetMethod(nameof(SubqueryEvaluator.Value))!, cells)));
            statements.Add(subquery.Type.Kind == SqlTypeKind.Null
                ? E.Assign(isNull, E.Constant(true))
                : E.Assign(isNull, E.Not(E.Call(row,
                    typeof(CellRow).GetMethod("TryGet" + AccessorSuffix(subquery.Type))!, E.Constant(0), value))));
        }
        else
        {
            var answer = E.Variable(typeof(int), "t" + _variables.Count);
            _variables.Add(answer);
            statements.Add(E.Assign(answer, E.Call(E.Constant(evaluator),
                typeof(SubqueryEvaluator).GetMethod(nameof(SubqueryEvaluator.Test))!, cells)));
            statements.Add(E.Assign(isNull, E.Equal(answer, E.Constant(2))));
            statements.Add(E.Assign(value, E.Equal(answer, E.Constant(1))));
        }
        return new Emitted(E.Block(statements), value, isNull);
    }

    private Emitted EmitQuantifiedArray(BoundQuantifiedArray quantified)
    {
        var statements = new List<E>();
        var operand = StoreAll([quantified.Operand], statements);
        var array = Emit(quantified.Array);
        statements.Add(array.Code);
        var element = ((ArrayType)quantified.Array.Type).Element;
        var comparison = ExpressionCompiler<CellRow>.CompileProjection([quantified.Comparison], _interpret, _clock);
        var answer = E.Variable(typeof(int), "t" + _variables.Count);
        _variables.Add(answer);
        var (value, isNull) = NewSlot(SqlType.Boolean);
        statements.Add(E.Assign(answer, E.Call(typeof(Quantifier).GetMethod(nameof(Quantifier.EvaluateArray))!,
            operand, E.Condition(array.IsNull, E.Constant(null, typeof(SqlArray)), array.Value),
            E.Constant(element, typeof(SqlType)), E.Constant(quantified.All), E.Constant(comparison))));
        statements.Add(E.Assign(isNull, E.Equal(answer, E.Constant(2))));
        statements.Add(E.Assign(value, E.Equal(answer, E.Constant(1))));
        return new Emitted(E.Block(statements), value, isNull);
    }

    /// <summary>Evaluates <paramref name="inputs"/> into a new cell array (one per evaluation: a subquery's run
    /// costs far more).</summary>
    private System.Linq.Expressions.ParameterExpression StoreAll(IReadOnlyList<BoundExpr> inputs, List<E> statements)
    {
        var cells = E.Variable(typeof(Cell[]), "c" + _variables.Count);
        _variables.Add(cells);
        statements.Add(E.Assign(cells, E.NewArrayBounds(typeof(Cell), E.Constant(Math.Max(1, inputs.Count)))));
        for (var i = 0; i < inputs.Count; i++)
        {
            var emitted = Emit(inputs[i]);
            statements.Add(emitted.Code);
            statements.Add(E.IfThenElse(emitted.IsNull,
                E.Call(CellWriterMethod("SetNull"), cells, E.Constant(i)),
                StoreCell(cells, i, emitted.Value, inputs[i].Type)));
        }
        return cells;
    }
}
