namespace Query.PgWire.Types;

/// <summary>One row of the type table: what Npgsql's type loading, RowDescription and format_type need.</summary>
public sealed record PgTypeInfo(int Oid, string Name, short Length, char TypType, int ElementOid, int ArrayOid)
{
    public bool IsArray => TypType == 'a';
}
