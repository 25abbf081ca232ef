using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>The record keys a key lookup reads: each constant evaluated once and encoded as writers encode keys,
/// NULLs dropped (they equal nothing) and duplicates removed (IN (1, 1) is one row).</summary>
internal static class TableKeys
{
    public static byte[][] Encode(StreamRuntime source, EquatableArray<BoundExpr> constants, TimeProvider clock)
    {
        var keyType = source.Types[source.Definition.KeyColumn];
        var keys = new List<byte[]>(constants.Count);
        var seen = new HashSet<byte[]>(State.ByteKeyComparer.Instance);
        foreach (var constant in constants)
        {
            var value = ConstantEvaluator.Evaluate(constant, clock);
            if (value is null)
                continue;
            var key = KeyEncoding.EncodeKeyValue(source, Cell.FromObject(value, keyType));
            if (key is not null && seen.Add(key))
                keys.Add(key);
        }
        return [.. keys];
    }
}
