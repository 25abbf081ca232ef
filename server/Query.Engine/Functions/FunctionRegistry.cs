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

    private static Dictionary<string, FunctionDefinition> Build()
    {
        var map = new Dictionary<string, FunctionDefinition>(StringComparer.OrdinalIgnoreCase);
        void Add(FunctionDefinition definition) => map[definition.Name] = definition;
        AddStrings(Add);
        AddMath(Add);
        AddTime(Add);
        AddOthers(Add);
        return map;
    }

    private static FunctionDefinition F(string name, string category, string description) =>
        new(name, category, description);

    private static void AddStrings(Action<FunctionDefinition> add)
    {
        var t = typeof(StringFunctions);
        add(F("LEN", "STRING", "Length of a string in characters.").Fixed(t, "Len", I, S));
        add(F("LENGTH", "STRING", "Length of a string in characters.").Fixed(t, "Len", I, S));
        add(F("UCASE", "STRING", "Upper case.").Fixed(t, "Upper", S, S));
        add(F("UPPER", "STRING", "Upper case.").Fixed(t, "Upper", S, S));
        add(F("LCASE", "STRING", "Lower case.").Fixed(t, "Lower", S, S));
        add(F("LOWER", "STRING", "Lower case.").Fixed(t, "Lower", S, S));
        add(F("TRIM", "STRING", "Removes leading and trailing whitespace.").Fixed(t, "Trim", S, S));
        add(F("LTRIM", "STRING", "Removes leading whitespace.").Fixed(t, "LTrim", S, S));
        add(F("RTRIM", "STRING", "Removes trailing whitespace.").Fixed(t, "RTrim", S, S));
        add(F("REVERSE", "STRING", "Reverses a string.").Fixed(t, "Reverse", S, S));
        add(F("SUBSTRING", "STRING", "Substring from a 1-based position, optionally of a length.")
            .Fixed(t, "Substring", S, S, I).Fixed(t, "Substring", S, S, I, I));
        add(F("CONCAT", "STRING", "Concatenates strings, skipping NULLs.")
            .Variadic(t, "Concat", S, nullAware: true, [], S));
        add(F("CONCAT_WS", "STRING", "Concatenates strings with a separator, skipping NULLs.")
            .Variadic(t, "ConcatWs", S, nullAware: true, [S], S));
        add(F("REPLACE", "STRING", "Replaces every occurrence of a substring.").Fixed(t, "Replace", S, S, S, S));
        add(F("INSTR", "STRING", "1-based position of a substring, 0 when absent.").Fixed(t, "Instr", I, S, S));
        add(F("LPAD", "STRING", "Left-pads to a length.").Fixed(t, "LPad", S, S, I, S));
        add(F("RPAD", "STRING", "Right-pads to a length.").Fixed(t, "RPad", S, S, I, S));
        add(F("INITCAP", "STRING", "Capitalizes each word.").Fixed(t, "InitCap", S, S));
        add(F("SPLIT", "STRING", "Splits a string into an array by a delimiter.")
            .Fixed(t, "Split", new ArrayType(S), S, S));
        add(F("REGEXP_EXTRACT", "STRING", "The first match of a regex (or a capture group).")
            .Fixed(t, "RegexpExtract", S, S, S).Fixed(t, "RegexpExtract", S, S, S, I));
        add(F("REGEXP_REPLACE", "STRING", "Replaces regex matches.").Fixed(t, "RegexpReplace", S, S, S, S));
        add(F("CHR", "STRING", "The character with a code point.").Fixed(t, "Chr", S, I));
        add(F("ASCII", "STRING", "Code point of the first character.").Fixed(t, "Ascii", I, S));
        add(F("REPEAT", "STRING", "Repeats a string n times.").Fixed(t, "Repeat", S, S, I));
    }
}
