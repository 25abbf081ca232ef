using Query.Engine.Types;

namespace Query.Engine.Functions;

public static partial class FunctionRegistry
{
    private static void AddTime(Action<FunctionDefinition> add)
    {
        var t = typeof(TimeFunctions);
        SqlType date = SqlType.Date, time = SqlType.Time;
        add(NonDeterministic(F("UNIX_TIMESTAMP", "DATE / TIME", "Epoch milliseconds now, or of a TIMESTAMP.")
            .Fixed(t, "UnixTimestampNow", L)).Fixed(t, "UnixTimestamp", L, Ts));
        add(NonDeterministic(F("UNIX_DATE", "DATE / TIME", "Days since the epoch today, or of a DATE.")
            .Fixed(t, "UnixDate", I)).Fixed(t, "UnixDateOf", I, date));
        add(NonDeterministic(F("NOW", "DATE / TIME", "The current TIMESTAMP.").Fixed(t, "UnixTimestampNow", Ts)));
        add(F("FROM_UNIXTIME", "DATE / TIME", "TIMESTAMP from epoch milliseconds.").Fixed(t, "FromUnixTime", Ts, L));
        add(F("FROM_DAYS", "DATE / TIME", "DATE from days since the epoch.").Fixed(t, "FromDays", date, I));
        add(F("FORMAT_TIMESTAMP", "DATE / TIME", "Formats a TIMESTAMP with a Java pattern, optionally in a zone.")
            .Fixed(t, "FormatTimestamp", S, Ts, S).Fixed(t, "FormatTimestamp", S, Ts, S, S));
        add(F("PARSE_TIMESTAMP", "DATE / TIME", "Parses a TIMESTAMP with a Java pattern (optionally in a zone); "
                + "NULL when the text does not match.")
            .Fixed(t, "ParseTimestamp", Ts, S, S).Fixed(t, "ParseTimestamp", Ts, S, S, S));
        add(F("FORMAT_DATE", "DATE / TIME", "Formats a DATE.").Fixed(t, "FormatDate", S, date, S));
        add(F("PARSE_DATE", "DATE / TIME", "Parses a DATE; NULL when the text does not match.")
            .Fixed(t, "ParseDate", date, S, S));
        add(F("FORMAT_TIME", "DATE / TIME", "Formats a TIME.").Fixed(t, "FormatTime", S, time, S));
        add(F("PARSE_TIME", "DATE / TIME", "Parses a TIME; NULL when the text does not match.")
            .Fixed(t, "ParseTime", time, S, S));
        add(F("TIMESTAMPTOSTRING", "DATE / TIME", "Formats epoch milliseconds (deprecated in ksqlDB).")
            .Fixed(t, "TimestampToString", S, L, S).Fixed(t, "TimestampToStringTz", S, L, S, S));
        add(F("STRINGTOTIMESTAMP", "DATE / TIME", "Parses to epoch milliseconds (deprecated in ksqlDB).")
            .Fixed(t, "StringToTimestamp", L, S, S).Fixed(t, "StringToTimestampTz", L, S, S, S));
        add(F("DATETOSTRING", "DATE / TIME", "Formats days since the epoch (deprecated in ksqlDB).")
            .Fixed(t, "FormatDate", S, I, S));
        add(F("STRINGTODATE", "DATE / TIME", "Parses to days since the epoch (deprecated in ksqlDB).")
            .Fixed(t, "ParseDate", I, S, S));
        add(F("CONVERT_TZ", "DATE / TIME", "Shifts a TIMESTAMP from one zone to another.")
            .Fixed(t, "ConvertTz", Ts, Ts, S, S));
        add(F("DATE_TRUNC", "DATE / TIME", "Truncates a TIMESTAMP to a unit ('hour', 'day', ...).")
            .Fixed(t, "DateTrunc", Ts, S, Ts));
        AddIntervalFunctions(add, t);
        add(F("YEAR", "DATE / TIME", "Year of a TIMESTAMP.").Fixed(t, "Year", I, Ts));
        add(F("MONTH", "DATE / TIME", "Month of a TIMESTAMP.").Fixed(t, "Month", I, Ts));
        add(F("DAYOFMONTH", "DATE / TIME", "Day of month of a TIMESTAMP.").Fixed(t, "DayOfMonth", I, Ts));
        add(F("HOUR", "DATE / TIME", "Hour of a TIMESTAMP.").Fixed(t, "Hour", I, Ts));
    }

    /// <summary>The unit may be written bare as in ksqlDB (TIMESTAMPADD(DAYS, 1, ts)) or quoted ('DAYS').</summary>
    public static readonly HashSet<string> IntervalFunctionNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "TIMESTAMPADD", "TIMESTAMPSUB", "DATEADD", "DATESUB", "TIMEADD", "TIMESUB",
    };

    private static void AddIntervalFunctions(Action<FunctionDefinition> add, Type t)
    {
        add(F("TIMESTAMPADD", "DATE / TIME", "Adds n units (MILLISECONDS ... DAYS, WEEKS, MONTHS, YEARS) to a "
            + "TIMESTAMP.").Fixed(t, "TimestampAdd", Ts, S, L, Ts));
        add(F("TIMESTAMPSUB", "DATE / TIME", "Subtracts n units from a TIMESTAMP.")
            .Fixed(t, "TimestampSub", Ts, S, L, Ts));
        add(F("DATEADD", "DATE / TIME", "Adds n units (whole days of them) to a DATE.")
            .Fixed(t, "DateAdd", SqlType.Date, S, L, SqlType.Date));
        add(F("DATESUB", "DATE / TIME", "Subtracts n units (whole days of them) from a DATE.")
            .Fixed(t, "DateSub", SqlType.Date, S, L, SqlType.Date));
        add(F("TIMEADD", "DATE / TIME", "Adds n units to a TIME, wrapping at midnight.")
            .Fixed(t, "TimeAdd", SqlType.Time, S, L, SqlType.Time));
        add(F("TIMESUB", "DATE / TIME", "Subtracts n units from a TIME, wrapping at midnight.")
            .Fixed(t, "TimeSub", SqlType.Time, S, L, SqlType.Time));
    }

    private static void AddOthers(Action<FunctionDefinition> add)
    {
        var j = typeof(JsonFunctions);
        var jt = typeof(JsonTextFunctions);
        add(F("EXTRACTJSONFIELD", "JSON", "The value at a JSONPath in JSON text.")
            .Fixed(j, "ExtractJsonField", S, S, S));
        add(F("IS_JSON_STRING", "JSON", "Whether text is valid JSON.").Fixed(j, "IsJsonString", B, S));
        add(F("JSON_ARRAY_LENGTH", "JSON", "Length of a JSON array.").Fixed(j, "JsonArrayLength", I, S));
        add(F("JSON_KEYS", "JSON", "Keys of a JSON object.").Fixed(j, "JsonKeys", new ArrayType(S), S));
        add(F("JSON_RECORDS", "JSON", "Top-level entries of a JSON object as a MAP of JSON texts.")
            .Fixed(jt, "JsonRecords", new MapType(S, S), S));
        add(F("JSON_ITEMS", "JSON", "Elements of a JSON array as JSON texts.")
            .Fixed(jt, "JsonItems", new ArrayType(S), S));
        add(F("JSON_CONCAT", "JSON", "Merges JSON objects, or concatenates JSON arrays.")
            .Variadic(jt, "JsonConcat", S, nullAware: true, [], S, minimumRepeated: 1));
        add(F("JSON_ARRAY_CONTAINS", "JSON", "Whether a JSON array holds a primitive value.")
            .Add("JSON_ARRAY_CONTAINS(STRING, T) -> BOOLEAN", args => args.Count == 2
                && ValueCast.CanCast(args[0], S, CastContext.Implicit) && !args[1].IsComplex
                    ? JsonArrayContains(args[1]) : null));
        add(F("TO_JSON_STRING", "JSON", "Any value as JSON text (NULL as 'null').")
            .Add("TO_JSON_STRING(T) -> STRING", args => args.Count == 1 ? ToJsonString(args[0]) : null));
        var s = typeof(SystemFunctions);
        add(F("AS_VALUE", "OTHER", "Copies a (key) column into the value; the value itself here.")
            .Add("AS_VALUE(T) -> T", args => args.Count == 1
                ? new FunctionOverload("AS_VALUE", FunctionDefinition.FindMethod(s, "AsValue", 1),
                    new EquatableArray<SqlType>([Typed(args[0])]), Typed(args[0])) : null));
        add(F("VERSION", "OTHER", "Server version text.").Fixed(s, "Version", S));
        add(F("CURRENT_SCHEMA", "OTHER", "The current schema (public).").Fixed(s, "CurrentSchema", S));
        add(F("CURRENT_DATABASE", "OTHER", "The current database.").Fixed(s, "CurrentDatabase", S));
        add(NonDeterministic(F("UUID", "OTHER", "A random (version 4) UUID as text.").Fixed(s, "Uuid", S)));
        foreach (var (name, signature, description) in SpecialForms)
            add(F(name, "CONDITIONAL", description).Add(signature, _ => null));
        foreach (var (name, signatures, description) in LambdaForms)
        {
            var definition = F(name, "LAMBDA", description);
            foreach (var signature in signatures)
                definition.Add(signature, _ => null);
            add(definition);
        }
    }

    private static FunctionOverload JsonArrayContains(SqlType value)
    {
        var overload = Overload("JSON_ARRAY_CONTAINS", typeof(JsonTextFunctions), "JsonArrayContains", B, S,
            Typed(value));
        return overload with { NullAware = true };
    }

    /// <summary>TO_JSON_STRING receives its argument's SQL type as the method's first parameter.</summary>
    private static FunctionOverload ToJsonString(SqlType value)
    {
        var method = FunctionDefinition.FindMethod(typeof(JsonTextFunctions), "ToJsonString", 2);
        var parameters = new EquatableArray<SqlType>([Typed(value)]);
        return new FunctionOverload("TO_JSON_STRING", method, parameters, S, NullAware: true) { Context = value };
    }

    /// <summary>An untyped NULL argument is taken as a STRING where any type would do.</summary>
    private static SqlType Typed(SqlType type) => type.Kind == SqlTypeKind.Null ? S : type;

    /// <summary>Bound by the binder itself (they take any type or need lazy evaluation).</summary>
    public static readonly (string Name, string Signature, string Description)[] SpecialForms =
    [
        ("COALESCE", "COALESCE(T, T, ...) -> T", "The first non-NULL argument."),
        ("IFNULL", "IFNULL(T, T) -> T", "The first argument unless NULL, else the second."),
        ("NULLIF", "NULLIF(T, T) -> T", "NULL when both arguments are equal, else the first."),
        ("CAST", "CAST(x AS type)", "Converts a value to a type."),
    ];

    /// <summary>Bound by the binder itself: their lambda arguments are not values.</summary>
    public static readonly (string Name, string[] Signatures, string Description)[] LambdaForms =
    [
        ("TRANSFORM", ["TRANSFORM(ARRAY<T>, x => U) -> ARRAY<U>",
            "TRANSFORM(MAP<K, V>, (k, v) => K2, (k, v) => V2) -> MAP<K2, V2>"], "Applies lambdas to each element."),
        ("FILTER", ["FILTER(ARRAY<T>, x => BOOLEAN) -> ARRAY<T>", "FILTER(MAP<K, V>, (k, v) => BOOLEAN) -> MAP<K, V>"],
            "Keeps the elements for which the lambda is TRUE."),
        ("REDUCE", ["REDUCE(ARRAY<T>, S, (s, x) => S) -> S", "REDUCE(MAP<K, V>, S, (s, k, v) => S) -> S"],
            "Folds the elements into a state, starting from an initial one (NULL state gives NULL)."),
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
