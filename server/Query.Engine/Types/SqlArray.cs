namespace Query.Engine.Types;

/// <summary>
/// An ARRAY value. Elements are the engine's CLR values (int, long, string, SqlStruct...) or null; complex
/// values are rare enough on hot paths that holding elements as objects is the simple, honest choice.
/// </summary>
public sealed class SqlArray(object?[] items) : IEquatable<SqlArray>
{
    public object?[] Items { get; } = items;

    public int Count => Items.Length;

    public bool Equals(SqlArray? other) => other is not null && ValueEquality.SequenceEqual(Items, other.Items);

    public override bool Equals(object? obj) => Equals(obj as SqlArray);

    public override int GetHashCode() => ValueEquality.SequenceHash(Items);

    public override string ToString() => ValueText.Format(this, ArrayTypeOfUnknown);

    private static readonly SqlType ArrayTypeOfUnknown = new ArrayType(SqlType.Null);
}
