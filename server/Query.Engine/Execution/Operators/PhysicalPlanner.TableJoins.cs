using Query.Engine.Execution.Operators.Joins;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

internal sealed partial class PhysicalPlanner
{
    /// <summary>Two tables joined: the operator tails both changelogs and reads both materialized states.</summary>
    private Node TableTableJoin(LogicalJoin join)
    {
        if (join.Left is LogicalJoin { TableTable: not null })
            return TableChainJoin(join);
        var leftScan = (LogicalScan)join.Left;
        var rightScan = (LogicalScan)join.Right;
        var left = SideProjection(leftScan, join.LeftKeys[0]).Project;
        var right = SideProjection(rightScan, join.RightKeys[0]).Project;
        var spec = join.TableTable!;
        var filter = spec.Filter is null ? null
            : ExpressionCompiler<CellRow>.CompilePredicate(spec.Filter, _interpret, _clock);
        var (type, keyType) = (join.Type, join.RightKeys[0].Type);
        return new Node(null, context => new TableTableJoinOperator(
            new TableJoinInput(Scan(leftScan, context), leftScan.Source, left, keyType, context.Limits),
            new TableJoinInput(Scan(rightScan, context), rightScan.Source, right, keyType,
                context.Limits),
            type, spec.ForeignKey, filter, context.Limits, context.Hooks));
    }

    /// <summary>Three or more tables joined left to right: one operator tails every changelog and reads every state.
    /// </summary>
    private Node TableChainJoin(LogicalJoin join)
    {
        var steps = new List<LogicalJoin>();
        LogicalPlan plan = join;
        while (plan is LogicalJoin step)
        {
            steps.Insert(0, step);
            plan = step.Left;
        }
        var scans = new LogicalScan[steps.Count + 1];
        scans[0] = (LogicalScan)plan;
        var chain = new TableChainStep[scans.Length];
        for (var i = 0; i < steps.Count; i++)
        {
            scans[i + 1] = (LogicalScan)steps[i].Right;
            // A foreign-key step's left key reads the joined row so far; a primary-key step's is the result key.
            var lookup = steps[i].TableTable!.ForeignKey
                ? ExpressionCompiler<CellRow>.CompileProjection([steps[i].LeftKeys[0]], _interpret, _clock) : null;
            chain[i + 1] = new TableChainStep(steps[i].Type, lookup);
        }
        var projections = new Action<RecordCursor, Cell[]>[scans.Length];
        for (var t = 0; t < scans.Length; t++)
        {
            var table = scans[t].Source;
            var key = table.Definition.KeyColumn;
            projections[t] = SideProjection(scans[t],
                new Binding.BoundColumn(key, table.Names[key], table.Types[key])).Project;
        }
        var filter = join.TableTable!.Filter is null ? null
            : ExpressionCompiler<CellRow>.CompilePredicate(join.TableTable.Filter, _interpret, _clock);
        return new Node(null, context =>
        {
            var inputs = new TableJoinInput[scans.Length];
            for (var t = 0; t < scans.Length; t++)
            {
                var table = scans[t].Source;
                inputs[t] = new TableJoinInput(Scan(scans[t], context), table, projections[t],
                    table.Types[table.Definition.KeyColumn], context.Limits);
            }
            return new TableChainJoinOperator(inputs, chain, filter, context.Limits, context.Hooks);
        });
    }
}
