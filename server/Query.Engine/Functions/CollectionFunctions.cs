using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>ARRAY / MAP functions and GREATEST / LEAST (which skip NULLs, as in PostgreSQL and ksqlDB).</summary>
public static class CollectionFunctions
{
    public static int ArrayLength(SqlArray array) => array.Count;

    public static bool ArrayContains(SqlArray array, object? value)
    {
        foreach (var item in array.Items)
        {
            if (ValueEquality.ValueEquals(item, value))
                return true;
        }
        return false;
    }

    public static SqlArray ArrayDistinct(SqlArray array)
    {
        var result = new List<object?>();
        foreach (var item in array.Items)
        {
            var seen = false;
            foreach (var kept in result)
                seen |= ValueEquality.ValueEquals(kept, item);
            if (!seen)
                result.Add(item);
        }
        return new SqlArray([.. result]);
    }

    /// <summary>ARRAY_JOIN formats elements as CAST(x AS STRING) does (true, 1.5, 2024-01-01); NULL as ''.</summary>
    public static string ArrayJoin(SqlType elementType, SqlArray array, string delimiter)
    {
        var parts = new string[array.Count];
        long length = (long)delimiter.Length * Math.Max(0, parts.Length - 1);
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = array.Items[i] is { } item ? ValueText.Format(item, elementType) : "";
            length += parts[i].Length;
        }
        Limits.ValueSizeLimits.CheckString(length);
        return string.Join(delimiter, parts);
    }

    public static string ArrayJoinComma(SqlType elementType, SqlArray array) => ArrayJoin(elementType, array, ",");

    public static SqlArray MapKeys(SqlMap map) => new((object?[])map.Keys.Clone());

    public static SqlArray MapValues(SqlMap map) => new((object?[])map.Values.Clone());

    public static long? GreatestInt64(long?[] values) => Pick(values, greater: true);

    public static long? LeastInt64(long?[] values) => Pick(values, greater: false);

    public static double? GreatestDouble(double?[] values) => Pick(values, greater: true);

    public static double? LeastDouble(double?[] values) => Pick(values, greater: false);

    public static decimal? GreatestDecimal(decimal?[] values) => Pick(values, greater: true);

    public static decimal? LeastDecimal(decimal?[] values) => Pick(values, greater: false);

    public static int? GreatestInt32(int?[] values) => Pick(values, greater: true);

    public static int? LeastInt32(int?[] values) => Pick(values, greater: false);

    public static string? GreatestString(string?[] values) => PickString(values, greater: true);

    public static string? LeastString(string?[] values) => PickString(values, greater: false);

    public static byte[]? GreatestBytes(byte[]?[] values) => PickBytes(values, greater: true);

    public static byte[]? LeastBytes(byte[]?[] values) => PickBytes(values, greater: false);

    private static byte[]? PickBytes(byte[]?[] values, bool greater)
    {
        byte[]? best = null;
        foreach (var value in values)
        {
            if (value is not null && (best is null || (greater ? value.AsSpan().SequenceCompareTo(best) > 0
                    : value.AsSpan().SequenceCompareTo(best) < 0)))
                best = value;
        }
        return best;
    }

    private static T? Pick<T>(T?[] values, bool greater) where T : struct, IComparable<T>
    {
        T? best = null;
        foreach (var value in values)
        {
            if (value is { } v && (best is null || (greater ? v.CompareTo(best.Value) > 0
                : v.CompareTo(best.Value) < 0)))
                best = v;
        }
        return best;
    }

    private static string? PickString(string?[] values, bool greater)
    {
        string? best = null;
        foreach (var value in values)
        {
            if (value is null)
                continue;
            var order = best is null ? 0 : string.CompareOrdinal(value, best);
            if (best is null || (greater ? order > 0 : order < 0))
                best = value;
        }
        return best;
    }
}
