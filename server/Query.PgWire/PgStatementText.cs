namespace Query.PgWire;

/// <summary>One statement of a simple-protocol string and its character offset in that string (0-based).</summary>
public readonly record struct PgStatementText(string Sql, int Offset);
