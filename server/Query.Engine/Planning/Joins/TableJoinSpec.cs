namespace Query.Engine.Planning.Joins;

/// <summary>
/// A table-table join of a push or persistent query (a <see cref="Logical.LogicalJoin"/> with this set): on the
/// two PRIMARY KEYs, or (<see cref="ForeignKey"/>) on an expression of the left table equal to the right table's
/// PRIMARY KEY. <see cref="Filter"/> is the rest of ON and the WHERE clause: a joined row that fails it does not
/// exist (its key is deleted from the result). The joined row carries two hidden columns after ROWTIME: the
/// result's key (the joined key of a primary-key join, present on whichever side exists; the left key of a
/// foreign-key join) and whether the row exists (false: a delete of that key).
/// </summary>
public sealed record TableJoinSpec(bool ForeignKey, Binding.BoundExpr? Filter, Types.SqlType ResultKeyType)
{
    public const string KeyColumnName = "__JOIN_KEY";

    public const string ExistsColumnName = "__JOIN_EXISTS";

    public const string WindowStartColumnName = "__JOIN_WINDOWSTART";

    public const string WindowEndColumnName = "__JOIN_WINDOWEND";

    /// <summary>
    /// A join of windowed tables (on their keys; the planner checks the windows are compatible): the left table's
    /// window. A result row is then one key and one window, as each table's rows are (Kafka Streams matches the
    /// windowed keys' bytes), and the joined row carries two more hidden columns after the exists flag: the result
    /// row's WINDOWSTART and WINDOWEND (those of the change that touched it), which key the windowed result table.
    /// </summary>
    public Catalog.TableWindow? Window { get; init; }

    /// <summary>The hidden columns after the joined row's ROWTIME: the key, the exists flag and, windowed, the
    /// window's bounds.</summary>
    public int HiddenColumns => Window is null ? 2 : 4;
}
