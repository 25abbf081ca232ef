namespace Query.PgWire;

/// <summary>A result or relation column: name, PostgreSQL type OID and type modifier (-1 = none).</summary>
public sealed record PgColumn(string Name, int TypeOid, int TypeModifier = -1);
