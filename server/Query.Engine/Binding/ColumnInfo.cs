using Query.Engine.Types;

namespace Query.Engine.Binding;

/// <summary>A named, typed column of a result or a source.</summary>
public sealed record ColumnInfo(string Name, SqlType Type)
{
    /// <summary>
    /// The PostgreSQL type a system catalog column declares where the engine's type would describe it as another
    /// (<c>oid</c>, <c>name</c>, <c>"char"</c>: asyncpg reads <c>typtype</c> as bytes only when it is
    /// <c>"char"</c>); 0 means the engine type's own mapping.
    /// </summary>
    public int PgTypeOid { get; init; }
}
