namespace Query.Engine.Types;

/// <summary>A MAP value: keys and values in insertion order (lookups are linear; maps in rows are small).</summary>
public sealed class SqlMap(object?[] keys, object?[] values) : IEquatable<SqlMap>
{
    public object?[] Keys { get; } = keys;

    public object?[] Values { get; } = values;

    public int Count => Keys.Length;

    public bool TryGet(object key, out object? value)
    {
        for (var i = 0; i < Keys.Length; i++)
        {
            if (ValueEquality.ValueEquals(Keys[i], key))
            {
                value = Values[i];
                return true;
            }
        }
        value = null;
        return false;
    }

    public bool Equals(SqlMap? other) =>
        other is not null && ValueEquality.SequenceEqual(Keys, other.Keys)
        && ValueEquality.SequenceEqual(Values, other.Values);

    public override bool Equals(object? obj) => Equals(obj as SqlMap);

    public override int GetHashCode() => HashCode.Combine(ValueEquality.SequenceHash(Keys),
        ValueEquality.SequenceHash(Values));
}
