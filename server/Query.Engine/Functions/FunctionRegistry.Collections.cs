using Query.Engine.Types;

namespace Query.Engine.Functions;

public static partial class FunctionRegistry
{
    private static readonly Type Arrays = typeof(ArrayFunctions);
    private static readonly Type Collections = typeof(CollectionFunctions);
    private static readonly Type Maps = typeof(MapFunctions);

    private static void AddCollections(Action<FunctionDefinition> add)
    {
        add(OneArray("ARRAY_LENGTH", "Number of elements.", "ARRAY<T> -> INTEGER", Collections, "ArrayLength",
            _ => I));
        add(F("ARRAY_CONTAINS", "ARRAY", "Whether an array holds a value.")
            .Add("ARRAY_CONTAINS(ARRAY<T>, T) -> BOOLEAN",
            args => args.Count == 2 && args[0] is ArrayType a
                ? Overload("ARRAY_CONTAINS", Collections, "ArrayContains", B, a, a.Element) : null));
        add(OneArray("ARRAY_DISTINCT", "Distinct elements in order of first appearance.", "ARRAY<T> -> ARRAY<T>",
            Collections, "ArrayDistinct", a => a));
        add(F("ARRAY_JOIN", "ARRAY", "Joins primitive elements as text with a delimiter (default ',').")
            .Add("ARRAY_JOIN(ARRAY<T>[, STRING]) -> STRING", args => args.Count is 1 or 2
                && args[0] is ArrayType { Element.IsComplex: false } a
                    ? ArrayJoin(a, args.Count) : null));
        add(OneArray("ARRAY_MAX", "Largest non-NULL primitive element.", "ARRAY<T> -> T", Arrays, "ArrayMax",
            a => a.Element, primitiveOnly: true));
        add(OneArray("ARRAY_MIN", "Smallest non-NULL primitive element.", "ARRAY<T> -> T", Arrays, "ArrayMin",
            a => a.Element, primitiveOnly: true));
        add(OneArray("ARRAY_SORT", "Sorts primitive elements, NULLs last; optionally 'DESC'.", "ARRAY<T> -> ARRAY<T>",
            Arrays, "ArraySort", a => a, primitiveOnly: true)
            .Add("ARRAY_SORT(ARRAY<T>, STRING) -> ARRAY<T>", args => args.Count == 2
                && args[0] is ArrayType { Element.IsComplex: false } a
                    ? Overload("ARRAY_SORT", Arrays, "ArraySort", a, a, S) : null));
        add(TwoArrays("ARRAY_CONCAT", "Concatenation; NULL only when both are NULL.", "ArrayConcat", nullAware: true));
        add(TwoArrays("ARRAY_EXCEPT", "Distinct elements of the first not in the second.", "ArrayExcept"));
        add(TwoArrays("ARRAY_INTERSECT", "Distinct elements in both.", "ArrayIntersect"));
        add(TwoArrays("ARRAY_UNION", "Distinct elements of either.", "ArrayUnion"));
        add(F("ARRAY_REMOVE", "ARRAY", "Removes every element equal to a value (NULLs when it is NULL).")
            .Add("ARRAY_REMOVE(ARRAY<T>, T) -> ARRAY<T>", args => args.Count == 2 && args[0] is ArrayType a
                ? Overload("ARRAY_REMOVE", Arrays, "ArrayRemove", a, a, a.Element) with { NullAware = true } : null));
        add(F("SLICE", "ARRAY", "Elements from one 1-based position to another, inclusive.")
            .Add("SLICE(ARRAY<T>, INTEGER, INTEGER) -> ARRAY<T>", args => args.Count == 3 && args[0] is ArrayType a
                ? Overload("SLICE", Arrays, "Slice", a, a, I, I) with { NullAware = true } : null));
        add(F("GENERATE_SERIES", "ARRAY", "An array of the integers from start to end, inclusive, by a step.")
            .Fixed(typeof(PgTimeFunctions), "GenerateSeriesTimestamps", new ArrayType(Ts), Ts, Ts, L)
            .Fixed(Arrays, "GenerateSeriesInt", new ArrayType(I), I, I)
            .Fixed(Arrays, "GenerateSeriesInt", new ArrayType(I), I, I, I)
            .Fixed(Arrays, "GenerateSeries", new ArrayType(L), L, L)
            .Fixed(Arrays, "GenerateSeries", new ArrayType(L), L, L, I));
        add(F("ELT", "STRING", "The n-th of the following arguments (1-based); NULL outside the range.")
            .Variadic(Maps, "Elt", S, nullAware: true, [I], S));
        add(F("FIELD", "STRING", "The 1-based position of the first argument among the rest; 0 when absent.")
            .Variadic(Maps, "Field", I, nullAware: true, [S], S));
        AddMaps(add);
    }

    private static void AddMaps(Action<FunctionDefinition> add)
    {
        add(F("MAP_KEYS", "MAP", "Keys of a map.").Add("MAP_KEYS(MAP<K, V>) -> ARRAY<K>",
            args => args.Count == 1 && args[0] is MapType m
                ? Overload("MAP_KEYS", Collections, "MapKeys", new ArrayType(m.Key), m) : null));
        add(F("MAP_VALUES", "MAP", "Values of a map.").Add("MAP_VALUES(MAP<K, V>) -> ARRAY<V>",
            args => args.Count == 1 && args[0] is MapType m
                ? Overload("MAP_VALUES", Collections, "MapValues", new ArrayType(m.Value), m) : null));
        add(F("MAP_UNION", "MAP", "Entries of both maps; the second's value wins; NULL only when both are NULL.")
            .Add("MAP_UNION(MAP<K, V>, MAP<K, V>) -> MAP<K, V>", args => args.Count == 2
                && (args[0] as MapType ?? args[1] as MapType) is { } m
                && FunctionDefinition.Accepts(args, [m, m])
                    ? Overload("MAP_UNION", Maps, "MapUnion", m, m, m) with { NullAware = true } : null));
        add(F("AS_MAP", "MAP", "A map from an array of keys and an array of values.")
            .Add("AS_MAP(ARRAY<STRING>, ARRAY<V>) -> MAP<STRING, V>", args => args.Count == 2
                && args[1] is ArrayType values && ValueCast.CanCast(args[0], new ArrayType(S), CastContext.Implicit)
                    ? Overload("AS_MAP", Maps, "AsMap", new MapType(S, values.Element), new ArrayType(S), values)
                    : null));
        add(F("ENTRIES", "MAP", "The entries of a map as ARRAY<STRUCT<K, V>>, sorted by key when asked.")
            .Add("ENTRIES(MAP<K, V>, BOOLEAN) -> ARRAY<STRUCT<K K, V V>>", args => args.Count == 2
                && args[0] is MapType m
                    ? Overload("ENTRIES", Maps, "Entries", new ArrayType(new StructType(new EquatableArray<StructField>(
                        [new StructField("K", m.Key), new StructField("V", m.Value)]))), m, B)
                    : null));
    }

    /// <summary>ARRAY_JOIN receives the element type first, to format elements as text.</summary>
    private static FunctionOverload ArrayJoin(ArrayType array, int argumentCount)
    {
        var method = FunctionDefinition.FindMethod(Collections, argumentCount == 1 ? "ArrayJoinComma" : "ArrayJoin",
            argumentCount + 1);
        var parameters = new EquatableArray<SqlType>(argumentCount == 1 ? [array] : [array, S]);
        return new FunctionOverload("ARRAY_JOIN", method, parameters, S) { Context = array.Element };
    }

    private static FunctionDefinition OneArray(string name, string description, string signature, Type owner,
        string method, Func<ArrayType, SqlType> result, bool primitiveOnly = false) =>
        F(name, "ARRAY", description).Add($"{name}({signature.Replace(" -> ", ") -> ", StringComparison.Ordinal)}",
            args => args.Count == 1 && args[0] is ArrayType a && !(primitiveOnly && a.Element.IsComplex)
                ? Overload(name, owner, method, result(a), a) : null);

    private static FunctionDefinition TwoArrays(string name, string description, string method,
        bool nullAware = false) =>
        F(name, "ARRAY", description).Add($"{name}(ARRAY<T>, ARRAY<T>) -> ARRAY<T>", args =>
        {
            if (args.Count != 2 || (args[0] as ArrayType ?? args[1] as ArrayType) is not { } a
                || !FunctionDefinition.Accepts(args, [a, a]))
                return null;
            return Overload(name, Arrays, method, a, a, a) with { NullAware = nullAware };
        });
}
