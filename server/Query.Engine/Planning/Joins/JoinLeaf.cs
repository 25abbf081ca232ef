using Query.Engine.Binding;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// A relation of FROM as a join sees it: its name and alias (how columns are qualified), its columns, and how to
/// plan reading it given the part of the WHERE clause that concerns only it (bound over its own columns, or null).
/// The plan must apply that predicate in full. Streams, tables and any relation the planner learns to read later
/// (system catalogs, subqueries) join the same way by supplying one of these.
/// </summary>
/// <param name="Name">The relation's name (qualifies its columns when there is no alias).</param>
/// <param name="Alias">The alias in FROM, if any.</param>
/// <param name="Columns">The relation's columns, in order.</param>
/// <param name="Plan">Plans the read, with the predicate pushed down to it.</param>
/// <param name="Position">Where the relation is written (1-based), for errors.</param>
public sealed record JoinLeaf(string Name, string? Alias, IReadOnlyList<ColumnInfo> Columns,
    Func<BoundExpr?, LogicalPlan> Plan, int Position)
{
    /// <summary>The stream or table it reads, when it is one (a streaming join needs to know which).</summary>
    public Execution.StreamRuntime? Source { get; init; }

    /// <summary>The name its columns are qualified by.</summary>
    public string EffectiveName => Alias ?? Name;
}
