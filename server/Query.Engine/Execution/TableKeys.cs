using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>The record keys a key lookup reads: each constant evaluated once and encoded as writers encode keys,
/// NULLs dropped (they equal nothing) and duplicates removed (IN (1, 1) is one row).</summary>
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
    /// <param name="constants">Constant expressions or parameters of the key's type.</param>
    /// <param name="clock">The engine's clock.</param>
    /// <param name="parameters">The execution's parameter values (for <see cref="BoundParameter"/> keys).</param>
    public static byte[][] Encode(StreamRuntime source, EquatableArray<BoundExpr> constants, TimeProvider clock,
        IReadOnlyList<object?> parameters)
    {
        var keyType = source.Types[source.Definition.KeyColumn];
        var keys = new List<byte[]>(constants.Count);
        var seen = new HashSet<byte[]>(State.ByteKeyComparer.Instance);
        foreach (var constant in constants)
        {
            var value = constant is BoundParameter parameter
                ? ParameterConverter.ToEngineValue(parameter.Index < parameters.Count ? parameters[parameter.Index]
                    : throw new Errors.SqlException(Errors.SqlState.InvalidParameterCount,
                        $"statement needs parameter ${parameter.Index + 1}"), parameter.Type)
                : ConstantEvaluator.Evaluate(constant, clock);
            if (value is null)
                continue;
            var key = KeyEncoding.EncodeKeyValue(source, Cell.FromObject(value, keyType));
            if (key is not null && seen.Add(key))
                keys.Add(key);
        }
        return [.. keys];
    }
}
