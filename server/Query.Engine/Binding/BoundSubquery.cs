using Query.Engine.Execution;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;

namespace Query.Engine.Binding;

/// <summary>What a subquery inside an expression answers.</summary>
public enum SubqueryKind
{
    /// <summary><c>(SELECT x ...)</c>: its one value, NULL without rows, 21000 with more than one.</summary>
    Scalar,

    /// <summary><c>EXISTS (SELECT ...)</c>.</summary>
    Exists,

    /// <summary><c>x op ANY (SELECT ...)</c>, and <c>x IN (SELECT ...)</c> (op is =).</summary>
    Any,

    /// <summary><c>x op ALL (SELECT ...)</c>.</summary>
    All,

    /// <summary><c>ARRAY(SELECT x ...)</c>: its values as an array (empty without rows).</summary>
    Array,
}

/// <summary>
/// The outer row a correlated subquery sees: before each run of the subquery the values of its
/// <see cref="BoundSubquery.Correlations"/> are put here, and <see cref="BoundOuterColumn"/>s inside it read them.
/// </summary>
public sealed class OuterRow
{
    public CellRow Row { get; } = new([]);
}

/// <summary>Inside a correlated subquery, a column of an enclosing query: the <see cref="Index"/>th correlation
/// value of the subquery that owns <see cref="Outer"/>.</summary>
public sealed record BoundOuterColumn(OuterRow Outer, int Index, string Name, SqlType Type) : BoundExpr(Type);

/// <summary>Limits of a subquery's runs, from the engine's settings.</summary>
/// <param name="MaxRuns">How many times one query may run a correlated subquery
/// (<see cref="EngineOptions.SubqueryMaxRuns"/>).</param>
/// <param name="QueryMemoryBytes">The memory one run may hold.</param>
/// <param name="JoinBuildMaxBytes">The build side of a join inside it.</param>
/// <param name="MaxRecursion">Iterations of a recursive WITH (<see cref="EngineOptions.RecursionMaxIterations"/>).
/// </param>
public sealed record SubquerySettings(long MaxRuns, long QueryMemoryBytes, long JoinBuildMaxBytes, int MaxRecursion)
{
    public static SubquerySettings Default { get; } = new(1_000_000, 256L * 1024 * 1024, 128L * 1024 * 1024, 10_000);
}

/// <summary>
/// A subquery in an expression. <see cref="Query"/> is planned on its own; the enclosing row's values it reads
/// are <see cref="Correlations"/> (bound over the enclosing row), handed to it through <see cref="Outer"/> before
/// each run (none: it runs once per query). For ANY / ALL, <see cref="Comparison"/> compares
/// <see cref="Operand"/> (column 0) with one value of the subquery (column 1).
/// </summary>
public sealed record BoundSubquery(SubqueryKind Kind, BoundQuery Query, OuterRow Outer,
    EquatableArray<BoundExpr> Correlations, BoundExpr? Operand, BoundExpr? Comparison, SubquerySettings Settings,
    SqlType Type) : BoundExpr(Type);

/// <summary><c>x op ANY (array)</c> / <c>x op ALL (array)</c>: <see cref="Comparison"/> compares x (column 0)
/// with one element (column 1).</summary>
public sealed record BoundQuantifiedArray(bool All, BoundExpr Operand, BoundExpr Array, BoundExpr Comparison)
    : BoundExpr(SqlType.Boolean);
