using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>The pieces of TRANSFORM / FILTER / REDUCE the compiled loop calls rather than spells out in IL.</summary>
public static class LambdaRuntime
{
    public static object?[] Buffer(int count) => ResultAllocation.Items(count);

    public static SqlArray Collect(object?[] buffer, int count) =>
        new(count == buffer.Length ? buffer : buffer[..count]);

    /// <summary>Builds a MAP from the first <paramref name="count"/> pairs; a repeated key keeps the last value.
    /// </summary>
    public static SqlMap CollectMap(object?[] keys, object?[] values, int count)
    {
        var resultKeys = new List<object?>(count);
        var resultValues = new List<object?>(count);
        for (var i = 0; i < count; i++)
        {
            var at = IndexOf(resultKeys, keys[i]);
            if (at >= 0)
            {
                resultValues[at] = values[i];
                continue;
            }
            resultKeys.Add(keys[i]);
            resultValues.Add(values[i]);
        }
        return new SqlMap([.. resultKeys], [.. resultValues]);
    }

    private static int IndexOf(List<object?> keys, object? key)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (ValueEquality.ValueEquals(keys[i], key))
                return i;
        }
        return -1;
    }
}
