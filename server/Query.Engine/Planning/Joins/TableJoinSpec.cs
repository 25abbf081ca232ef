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
}
