using Query.Engine.Types;

namespace Query.Engine.Functions;

public static partial class FunctionRegistry
{
    private static void AddMath(Action<FunctionDefinition> add)
    {
        var t = typeof(MathFunctions);
        add(F("ABS", "MATHEMATICAL", "Absolute value.")
            .Fixed(t, "AbsInt32", I, I).Fixed(t, "AbsInt64", L, L).Fixed(t, "AbsDecimal", Dec, Dec)
            .Fixed(t, "AbsDouble", D, D));
        add(F("CEIL", "MATHEMATICAL", "Smallest integer not less than x.")
            .Fixed(t, "CeilDecimal", Dec, Dec).Fixed(t, "Ceil", D, D));
        add(F("FLOOR", "MATHEMATICAL", "Largest integer not greater than x.")
            .Fixed(t, "FloorDecimal", Dec, Dec).Fixed(t, "Floor", D, D));
        add(F("ROUND", "MATHEMATICAL", "Rounds half away from zero, optionally to d decimal places.")
            .Fixed(t, "RoundDecimal", Dec, Dec).Fixed(t, "RoundDouble", L, D)
            .Fixed(t, "RoundDecimalTo", Dec, Dec, I).Fixed(t, "RoundDoubleTo", D, D, I));
        add(F("TRUNC", "MATHEMATICAL", "Truncates toward zero.").Fixed(t, "Trunc", D, D));
        add(F("SQRT", "MATHEMATICAL", "Square root.").Fixed(t, "Sqrt", D, D));
        add(F("POWER", "MATHEMATICAL", "x raised to y.").Fixed(t, "Power", D, D, D));
        add(F("LN", "MATHEMATICAL", "Natural logarithm.").Fixed(t, "Ln", D, D));
        add(F("LOG", "MATHEMATICAL", "Base-10 logarithm.").Fixed(t, "Log10", D, D));
        add(F("EXP", "MATHEMATICAL", "e raised to x.").Fixed(t, "Exp", D, D));
        add(F("SIGN", "MATHEMATICAL", "-1, 0 or 1.").Fixed(t, "SignDouble", I, D));
        add(F("PI", "MATHEMATICAL", "The constant pi.").Fixed(t, "Pi", D));
        add(F("DEGREES", "MATHEMATICAL", "Radians to degrees.").Fixed(t, "Degrees", D, D));
        add(F("RADIANS", "MATHEMATICAL", "Degrees to radians.").Fixed(t, "Radians", D, D));
        add(F("SIN", "MATHEMATICAL", "Sine.").Fixed(t, "Sin", D, D));
        add(F("COS", "MATHEMATICAL", "Cosine.").Fixed(t, "Cos", D, D));
        add(F("TAN", "MATHEMATICAL", "Tangent.").Fixed(t, "Tan", D, D));
        add(NonDeterministic(F("RANDOM", "MATHEMATICAL", "A random DOUBLE in [0, 1).").Fixed(t, "Random", D)));
        var c = typeof(CollectionFunctions);
        add(F("GREATEST", "MATHEMATICAL", "The largest non-NULL argument.")
            .Variadic(c, "GreatestInt32", I, true, [], I).Variadic(c, "GreatestInt64", L, true, [], L)
            .Variadic(c, "GreatestDecimal", Dec, true, [], Dec).Variadic(c, "GreatestDouble", D, true, [], D)
            .Variadic(c, "GreatestString", S, true, [], S));
        add(F("LEAST", "MATHEMATICAL", "The smallest non-NULL argument.")
            .Variadic(c, "LeastInt32", I, true, [], I).Variadic(c, "LeastInt64", L, true, [], L)
            .Variadic(c, "LeastDecimal", Dec, true, [], Dec).Variadic(c, "LeastDouble", D, true, [], D)
            .Variadic(c, "LeastString", S, true, [], S));
    }

    private static void AddTime(Action<FunctionDefinition> add)
    {
        var t = typeof(TimeFunctions);
        add(NonDeterministic(F("UNIX_TIMESTAMP", "DATE / TIME", "Epoch milliseconds now, or of a TIMESTAMP.")
            .Fixed(t, "UnixTimestampNow", L)).Fixed(t, "UnixTimestamp", L, Ts));
        add(NonDeterministic(F("UNIX_DATE", "DATE / TIME", "Days since the epoch today.").Fixed(t, "UnixDate", I)));
        add(NonDeterministic(F("NOW", "DATE / TIME", "The current TIMESTAMP.").Fixed(t, "UnixTimestampNow", Ts)));
        add(F("FROM_UNIXTIME", "DATE / TIME", "TIMESTAMP from epoch milliseconds.").Fixed(t, "FromUnixTime", Ts, L));
        add(F("FORMAT_TIMESTAMP", "DATE / TIME", "Formats a TIMESTAMP with a Java pattern, optionally in a zone.")
            .Fixed(t, "FormatTimestamp", S, Ts, S).Fixed(t, "FormatTimestamp", S, Ts, S, S));
        add(F("PARSE_TIMESTAMP", "DATE / TIME", "Parses a TIMESTAMP with a Java pattern, optionally in a zone.")
            .Fixed(t, "ParseTimestamp", Ts, S, S).Fixed(t, "ParseTimestamp", Ts, S, S, S));
        add(F("FORMAT_DATE", "DATE / TIME", "Formats a DATE.").Fixed(t, "FormatDate", S, SqlType.Date, S));
        add(F("PARSE_DATE", "DATE / TIME", "Parses a DATE.").Fixed(t, "ParseDate", SqlType.Date, S, S));
        add(F("FORMAT_TIME", "DATE / TIME", "Formats a TIME.").Fixed(t, "FormatTime", S, SqlType.Time, S));
        add(F("TIMESTAMPTOSTRING", "DATE / TIME", "Formats epoch milliseconds (deprecated in ksqlDB).")
            .Fixed(t, "TimestampToString", S, L, S).Fixed(t, "TimestampToStringTz", S, L, S, S));
        add(F("STRINGTOTIMESTAMP", "DATE / TIME", "Parses to epoch milliseconds (deprecated in ksqlDB).")
            .Fixed(t, "StringToTimestamp", L, S, S));
        add(F("CONVERT_TZ", "DATE / TIME", "Shifts a TIMESTAMP from one zone to another.")
            .Fixed(t, "ConvertTz", Ts, Ts, S, S));
        add(F("DATE_TRUNC", "DATE / TIME", "Truncates a TIMESTAMP to a unit ('hour', 'day', ...).")
            .Fixed(t, "DateTrunc", Ts, S, Ts));
        add(F("TIMESTAMPADD", "DATE / TIME", "Adds n units ('SECONDS', 'DAYS', ...) to a TIMESTAMP.")
            .Fixed(t, "TimestampAdd", Ts, S, L, Ts));
        add(F("YEAR", "DATE / TIME", "Year of a TIMESTAMP.").Fixed(t, "Year", I, Ts));
        add(F("MONTH", "DATE / TIME", "Month of a TIMESTAMP.").Fixed(t, "Month", I, Ts));
        add(F("DAYOFMONTH", "DATE / TIME", "Day of month of a TIMESTAMP.").Fixed(t, "DayOfMonth", I, Ts));
        add(F("HOUR", "DATE / TIME", "Hour of a TIMESTAMP.").Fixed(t, "Hour", I, Ts));
    }

    private static void AddOthers(Action<FunctionDefinition> add)
    {
        var j = typeof(JsonFunctions);
        add(F("EXTRACTJSONFIELD", "JSON", "The value at a JSONPath in JSON text.")
            .Fixed(j, "ExtractJsonField", S, S, S));
        add(F("IS_JSON_STRING", "JSON", "Whether text is valid JSON.").Fixed(j, "IsJsonString", B, S));
        add(F("JSON_ARRAY_LENGTH", "JSON", "Length of a JSON array.").Fixed(j, "JsonArrayLength", I, S));
        add(F("JSON_KEYS", "JSON", "Keys of a JSON object.").Fixed(j, "JsonKeys", new ArrayType(S), S));
        var c = typeof(CollectionFunctions);
        add(F("ARRAY_LENGTH", "ARRAY", "Number of elements.").Add("ARRAY_LENGTH(ARRAY<T>) -> INTEGER",
            args => args.Count == 1 && args[0] is ArrayType a ? Overload("ARRAY_LENGTH", c, "ArrayLength", I, a)
                : null));
        add(F("ARRAY_CONTAINS", "ARRAY",
            "Whether an array holds a value.").Add("ARRAY_CONTAINS(ARRAY<T>, T) -> BOOLEAN",
            args => args.Count == 2 && args[0] is ArrayType a
                ? Overload("ARRAY_CONTAINS", c, "ArrayContains", B, a, a.Element) : null));
        add(F("ARRAY_DISTINCT", "ARRAY", "Distinct elements in order.").Add("ARRAY_DISTINCT(ARRAY<T>) -> ARRAY<T>",
            args => args.Count == 1 && args[0] is ArrayType a ? Overload("ARRAY_DISTINCT", c, "ArrayDistinct", a, a)
                : null));
        add(F("ARRAY_JOIN", "ARRAY", "Joins elements as text.").Add("ARRAY_JOIN(ARRAY<T>, STRING) -> STRING",
            args => args.Count == 2 && args[0] is ArrayType a
                ? Overload("ARRAY_JOIN", c, "ArrayJoin", S, a, S) : null));
        add(F("MAP_KEYS", "MAP", "Keys of a map.").Add("MAP_KEYS(MAP<K, V>) -> ARRAY<K>",
            args => args.Count == 1 && args[0] is MapType m ? Overload("MAP_KEYS", c, "MapKeys", new ArrayType(m.Key),
                m) : null));
        add(F("MAP_VALUES", "MAP", "Values of a map.").Add("MAP_VALUES(MAP<K, V>) -> ARRAY<V>",
            args => args.Count == 1 && args[0] is MapType m
                ? Overload("MAP_VALUES", c, "MapValues", new ArrayType(m.Value), m) : null));
        var s = typeof(SystemFunctions);
        add(F("VERSION", "OTHER", "Server version text.").Fixed(s, "Version", S));
        add(F("CURRENT_SCHEMA", "OTHER", "The current schema (public).").Fixed(s, "CurrentSchema", S));
        add(F("CURRENT_DATABASE", "OTHER", "The current database.").Fixed(s, "CurrentDatabase", S));
        add(NonDeterministic(F("UUID", "OTHER", "A random UUID as text.").Fixed(s, "Uuid", S)));
        foreach (var (name, signature, description) in SpecialForms)
            add(F(name, "CONDITIONAL", description).Add(signature, _ => null));
    }

    /// <summary>Bound by the binder itself (they take any type or need lazy evaluation).</summary>
    public static readonly (string Name, string Signature, string Description)[] SpecialForms =
    [
        ("COALESCE", "COALESCE(T, T, ...) -> T", "The first non-NULL argument."),
        ("IFNULL", "IFNULL(T, T) -> T", "The first argument unless NULL, else the second."),
        ("NULLIF", "NULLIF(T, T) -> T", "NULL when both arguments are equal, else the first."),
        ("CAST", "CAST(x AS type)", "Converts a value to a type."),
    ];

    private static FunctionOverload Overload(string name, Type owner, string method, SqlType returnType,
        params SqlType[] parameters) =>
        new(name, FunctionDefinition.FindMethod(owner, method, parameters.Length),
            new EquatableArray<SqlType>(parameters), returnType);

    private static readonly HashSet<string> NonDeterministicNames = new(StringComparer.OrdinalIgnoreCase);

    private static FunctionDefinition NonDeterministic(FunctionDefinition definition)
    {
        NonDeterministicNames.Add(definition.Name);
        return definition;
    }

    public static bool IsDeterministic(string name) => !NonDeterministicNames.Contains(name);
}
