namespace Query.Engine.Planning.Logical;

/// <summary>
/// One ORDER BY key: a column of the projected row (visible or hidden), its direction and NULL order.
/// </summary>
public sealed record SortKey(int Column, bool Descending, bool NullsFirst);
