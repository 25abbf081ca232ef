using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>Equality and ordering of cells of one SQL type (GROUP BY keys, DISTINCT, MIN/MAX, ORDER BY).</summary>
public sealed class CellComparer(SqlTypeKind kind) : IEqualityComparer<Cell>
{
    public bool Equals(Cell x, Cell y) => x.ValueEquals(y, kind);

    public int GetHashCode(Cell obj) => obj.ValueHash(kind);

    /// <summary>Orders non-NULL cells; NULLs sort last, as in PostgreSQL's ascending order.</summary>
    public static int Compare(in Cell x, in Cell y, SqlTypeKind kind)
    {
        if (x.IsNull || y.IsNull)
            return x.IsNull == y.IsNull ? 0 : x.IsNull ? 1 : -1;
        return kind switch
        {
            SqlTypeKind.Double => x.AsDouble.CompareTo(y.AsDouble),
            SqlTypeKind.Decimal when x.Ref is WideDecimal wide => wide.CompareTo((WideDecimal)y.Ref!),
            SqlTypeKind.Decimal => x.Decimal.CompareTo(y.Decimal),
            SqlTypeKind.String => string.CompareOrdinal((string)x.Ref!, (string)y.Ref!),
            SqlTypeKind.Bytes => ((byte[])x.Ref!).AsSpan().SequenceCompareTo((byte[])y.Ref!),
            SqlTypeKind.Boolean or SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Date
                or SqlTypeKind.Time => x.Bits.CompareTo(y.Bits),
            _ => 0,
        };
    }
}
