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

/// <summary>A STRUCT value: one slot per field of its <see cref="StructType"/>, in declaration order.</summary>
public sealed class SqlStruct(object?[] fields) : IEquatable<SqlStruct>
{
    public object?[] Fields { get; } = fields;

    public bool Equals(SqlStruct? other) => other is not null && ValueEquality.SequenceEqual(Fields, other.Fields);

    public override bool Equals(object? obj) => Equals(obj as SqlStruct);

    public override int GetHashCode() => ValueEquality.SequenceHash(Fields);
}

/// <summary>Value equality for the engine's boxed values (byte[] compares by content).</summary>
public static class ValueEquality
{
    public static bool ValueEquals(object? a, object? b)
    {
        if (a is byte[] x && b is byte[] y)
            return x.AsSpan().SequenceEqual(y);
        return Equals(a, b);
    }

    public static bool SequenceEqual(object?[] a, object?[] b)
    {
        if (a.Length != b.Length)
            return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (!ValueEquals(a[i], b[i]))
                return false;
        }
        return true;
    }

    public static int SequenceHash(object?[] items)
    {
        var hash = new HashCode();
        foreach (var item in items)
            hash.Add(item is byte[] bytes ? BytesHash(bytes) : item?.GetHashCode() ?? 0);
        return hash.ToHashCode();
    }

    public static int BytesHash(byte[] bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
