using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>ksqlDB's MAP functions and the array/variadic helpers ELT and FIELD.</summary>
public static class MapFunctions
{
    /// <summary>AS_MAP(keys, values): pairs by position up to the shorter array; a later key wins.</summary>
    public static SqlMap AsMap(SqlArray keys, SqlArray values)
    {
        var count = Math.Min(keys.Count, values.Count);
        var resultKeys = new List<object?>(count);
        var resultValues = new List<object?>(count);
        for (var i = 0; i < count; i++)
            Put(resultKeys, resultValues, keys.Items[i], values.Items[i]);
        return new SqlMap([.. resultKeys], [.. resultValues]);
    }

    /// <summary>MAP_UNION(a, b): entries of both; b's value wins for a shared key; NULL only when both are NULL.
    /// </summary>
    public static SqlMap? MapUnion(SqlMap? first, SqlMap? second)
    {
        if (first is null || second is null)
            return first ?? second;
        var keys = new List<object?>(first.Keys);
        var values = new List<object?>(first.Values);
        for (var i = 0; i < second.Count; i++)
            Put(keys, values, second.Keys[i], second.Values[i]);
        return new SqlMap([.. keys], [.. values]);
    }

    private static void Put(List<object?> keys, List<object?> values, object? key, object? value)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (ValueEquality.ValueEquals(keys[i], key))
            {
                values[i] = value;
                return;
            }
        }
        keys.Add(key);
        values.Add(value);
    }

    /// <summary>ENTRIES(map, sorted): an array of STRUCT&lt;K, V&gt;, sorted by key when asked.</summary>
    public static SqlArray Entries(SqlMap map, bool sorted)
    {
        var order = new int[map.Count];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        if (sorted)
            Array.Sort(order, (a, b) => map.Keys[a] is { } x && map.Keys[b] is { } y ? ArrayFunctions.Compare(x, y)
                : (map.Keys[a] is null).CompareTo(map.Keys[b] is null));
        var items = new object?[order.Length];
        for (var i = 0; i < order.Length; i++)
            items[i] = new SqlStruct([map.Keys[order[i]], map.Values[order[i]]]);
        return new SqlArray(items);
    }

    /// <summary>ELT(n, a, b, ...): the n-th argument (1-based); NULL outside the range.</summary>
    public static string? Elt(int? n, string?[] values) =>
        n is { } i && i >= 1 && i <= values.Length ? values[i - 1] : null;

    /// <summary>FIELD(s, a, b, ...): the 1-based position of s among the rest, 0 when absent or NULL.</summary>
    public static int Field(string? value, string?[] values)
    {
        if (value is null)
            return 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (value == values[i])
                return i + 1;
        }
        return 0;
    }
}
