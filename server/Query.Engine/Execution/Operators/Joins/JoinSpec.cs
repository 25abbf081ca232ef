using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators.Joins;

/// <summary>A join compiled once: its type, each side's width and compiled key expressions (null: no keys),
/// the key types, and the compiled condition over the joined row (null: none).</summary>
public sealed record JoinSpec(JoinType Type, int LeftWidth, int RightWidth, Action<CellRow, Cell[]>? LeftKeys,
    Action<CellRow, Cell[]>? RightKeys, SqlTypeKind[] KeyKinds, Func<CellRow, bool>? Condition);

/// <summary>What one run of a join may use: batch sizes, the query's memory budget, and the build side's cap.
/// </summary>
public sealed record JoinSettings(BatchLimits Limits, Limits.QueryMemoryBudget Budget, long BuildMaxBytes);
