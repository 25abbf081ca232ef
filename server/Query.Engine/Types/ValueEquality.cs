namespace Query.Engine.Types;

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
