namespace Query.PgWire;

/// <summary>
/// A stream or table as psql should list it; <paramref name="Kind"/> is shown as the "Type" (e.g. stream).
/// </summary>
public sealed record PgRelation(string Name, string Kind, IReadOnlyList<PgColumn> Columns);
