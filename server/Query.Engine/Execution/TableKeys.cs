using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>The record keys a key lookup reads: each constant evaluated once and encoded as writers encode keys,
/// NULLs dropped (they equal nothing) and duplicates removed (IN (1, 1) is one row). A table of several key columns
/// takes the constants as tuples, one constant per key column in key order.</summary>
internal static class TableKeys
{
    public static bool HasParameters(EquatableArray<BoundExpr> constants)
    {
        foreach (var constant in constants)
        {
            if (constant is BoundParameter)
                return true;
        }
        return false;
    }

    /// <param name="source">The table.</param>
    /// <param name="constants">Constant expressions or parameters of the key columns' types, a tuple per key.</param>
    /// <param name="clock">The engine's clock.</param>
    /// <param name="parameters">The execution's parameter values (for <see cref="BoundParameter"/> keys).</param>
    public static byte[][] Encode(StreamRuntime source, EquatableArray<BoundExpr> constants, TimeProvider clock,
        IReadOnlyList<object?> parameters)
    {
        var columns = source.KeyCodec.Columns;
        var width = columns.Length;
        var keys = new List<byte[]>(constants.Count / width);
        var seen = new HashSet<byte[]>(State.ByteKeyComparer.Instance);
        var tuple = new Cell[width];
        for (var start = 0; start + width <= constants.Count; start += width)
        {
            for (var i = 0; i < width; i++)
            {
                var value = Evaluate(constants[start + i], clock, parameters);
                tuple[i] = value is null ? Cell.Null : Cell.FromObject(value, source.Types[columns[i]]);
            }
            // A windowed table is looked up by key in its index of windows: the key without a window.
            var key = source.Definition.Window is null ? KeyEncoding.EncodeKeyValues(source, tuple)
                : KeyEncoding.EncodeKeyValuesWithoutWindow(source, tuple);
            if (key is not null && seen.Add(key))
                keys.Add(key);
        }
        return [.. keys];
    }

    internal static object? Evaluate(BoundExpr constant, TimeProvider clock, IReadOnlyList<object?> parameters) =>
        constant is BoundParameter parameter
            ? ParameterConverter.ToEngineValue(parameter.Index < parameters.Count ? parameters[parameter.Index]
                : throw new Errors.SqlException(Errors.SqlState.InvalidParameterCount,
                    $"statement needs parameter ${parameter.Index + 1}"), parameter.Type)
            : ConstantEvaluator.Evaluate(constant, clock);
}
