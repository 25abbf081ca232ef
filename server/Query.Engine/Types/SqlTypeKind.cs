namespace Query.Engine.Types;

/// <summary>The SQL types of the dialect. <see cref="Null"/> is the type of an untyped NULL literal.</summary>
public enum SqlTypeKind : byte
{
    Null = 0,
    Boolean = 1,
    Int = 2,
    BigInt = 3,
    Double = 4,
    Decimal = 5,
    String = 6,
    Bytes = 7,
    Timestamp = 8,
    Date = 9,
    Time = 10,
    Array = 11,
    Map = 12,
    Struct = 13,
}
