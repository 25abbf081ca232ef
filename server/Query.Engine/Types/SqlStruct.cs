namespace Query.Engine.Types;

/// <summary>A STRUCT value: one slot per field of its <see cref="StructType"/>, in declaration order.</summary>
public sealed class SqlStruct(object?[] fields) : IEquatable<SqlStruct>
{
    public object?[] Fields { get; } = fields;

    public bool Equals(SqlStruct? other) => other is not null && ValueEquality.SequenceEqual(Fields, other.Fields);

    public override bool Equals(object? obj) => Equals(obj as SqlStruct);

    public override int GetHashCode() => ValueEquality.SequenceHash(Fields);
}
