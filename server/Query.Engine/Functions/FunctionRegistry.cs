using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// Every scalar function by upper-case name (SHOW FUNCTIONS / DESCRIBE FUNCTION list these). COALESCE, IFNULL,
/// NULLIF and CAST are syntax-like and bound specially by the binder; they are listed here for discovery.
/// </summary>
public static partial class FunctionRegistry
{
    // Lazy: static initializers of a partial class run in an unspecified file order; Build needs them all.
    private static readonly Lazy<Dictionary<string, FunctionDefinition>> LazyFunctions = new(Build);

    private static Dictionary<string, FunctionDefinition> Functions => LazyFunctions.Value;

    public static IEnumerable<FunctionDefinition> All
    {
        get
        {
            var list = new List<FunctionDefinition>(Functions.Values);
            list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return list;
        }
    }

    public static bool TryGet(string name, out FunctionDefinition definition) =>
        Functions.TryGetValue(name.ToUpperInvariant(), out definition!);

    private static readonly SqlType S = SqlType.String;
    private static readonly SqlType I = SqlType.Int;
    private static readonly SqlType L = SqlType.BigInt;
    private static readonly SqlType D = SqlType.Double;
    private static readonly SqlType B = SqlType.Boolean;
    private static readonly SqlType Ts = SqlType.Timestamp;
    private static readonly SqlType Dec = new DecimalType(DecimalType.MaxPrecision, 0);
    private static readonly SqlType By = SqlType.Bytes;

    private static Dictionary<string, FunctionDefinition> Build()
    {
        var map = new Dictionary<string, FunctionDefinition>(StringComparer.OrdinalIgnoreCase);
        void Add(FunctionDefinition definition) => map[definition.Name] = definition;
        AddStrings(Add);
        AddBytes(Add);
        AddMath(Add);
        AddTime(Add);
        AddCollections(Add);
        AddOthers(Add);
        return map;
    }

    private static FunctionDefinition F(string name, string category, string description) =>
        new(name, category, description);
}
