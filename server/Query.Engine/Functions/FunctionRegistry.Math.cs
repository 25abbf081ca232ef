using Query.Engine.Types;

namespace Query.Engine.Functions;

public static partial class FunctionRegistry
{
    private static void AddMath(Action<FunctionDefinition> add)
    {
        var t = typeof(MathFunctions);
        add(F("ABS", "MATHEMATICAL", "Absolute value.")
            .Fixed(t, "AbsInt32", I, I).Fixed(t, "AbsInt64", L, L).Add("ABS(DECIMAL(p, s)) -> DECIMAL(p, s)",
                args => SameDecimal(args, "ABS", t, "AbsDecimal", "Abs")).Fixed(t, "AbsDouble", D, D));
        add(F("CEIL", "MATHEMATICAL", "Smallest integer not less than x.")
            .Fixed(t, "Whole32", I, I).Fixed(t, "Whole64", L, L)
            .Add("CEIL(DECIMAL(p, s)) -> DECIMAL(p, s)", args => SameDecimal(args, "CEIL", t, "CeilDecimal", "Ceil"))
            .Fixed(t, "Ceil", D, D));
        add(F("FLOOR", "MATHEMATICAL", "Largest integer not greater than x.")
            .Fixed(t, "Whole32", I, I).Fixed(t, "Whole64", L, L)
            .Add("FLOOR(DECIMAL(p, s)) -> DECIMAL(p, s)",
                args => SameDecimal(args, "FLOOR", t, "FloorDecimal", "Floor"))
            .Fixed(t, "Floor", D, D));
        add(RoundLike("ROUND", "Rounds halves toward positive infinity, optionally to d places (d < 0: tens...).",
            "RoundInt32To", "RoundInt64To", "RoundDouble", "RoundDoubleTo", "RoundDecimal", "RoundDecimalTo"));
        add(RoundLike("TRUNC", "Truncates toward zero, optionally to d places (d < 0: tens...).",
            "RoundInt32To", "RoundInt64To", "TruncDouble", "TruncDoubleTo", "TruncDecimal", "TruncDecimalTo"));
        AddDoubleFunctions(add, t);
        add(F("SIGN", "MATHEMATICAL", "-1, 0 or 1 (INTEGER).").Fixed(t, "SignInt64", I, L)
            .Add("SIGN(DECIMAL(p, s)) -> INTEGER", args => args.Count == 1 && args[0] is DecimalType { IsWide: true } d
                ? Overload("SIGN", typeof(WideDecimalFunctions), "Sign", I, d) : null)
            .Fixed(t, "SignDecimal", I, Dec).Fixed(t, "SignDouble", I, D));
        add(F("PI", "MATHEMATICAL", "The constant pi.").Fixed(t, "Pi", D));
        add(F("LOG", "MATHEMATICAL", "Base-10 logarithm, or LOG(base, x); NaN / -Infinity outside the domain.")
            .Fixed(t, "Log10", D, D).Fixed(t, "LogBase", D, D, D));
        add(F("POWER", "MATHEMATICAL", "x raised to y (Infinity on overflow).").Fixed(t, "Power", D, D, D));
        add(F("ATAN2", "MATHEMATICAL", "Arc tangent of y / x in radians.").Fixed(t, "Atan2", D, D, D));
        add(F("GEO_DISTANCE", "MATHEMATICAL", "Great-circle distance of (lat1, lon1) and (lat2, lon2), in 'KM' "
                + "(default) or 'MILES'.")
            .Fixed(t, "GeoDistance", D, D, D, D, D).Fixed(t, "GeoDistance", D, D, D, D, D, S));
        add(NonDeterministic(F("RANDOM", "MATHEMATICAL", "A random DOUBLE in [0, 1).").Fixed(t, "Random", D)));
        add(Extreme("GREATEST", "The largest non-NULL argument (at least one argument).", greatest: true));
        add(Extreme("LEAST", "The smallest non-NULL argument (at least one argument).", greatest: false));
    }

    private static void AddDoubleFunctions(Action<FunctionDefinition> add, Type t)
    {
        (string Name, string Method, string Description)[] unary =
        [
            ("SQRT", "Sqrt", "Square root (NaN below 0)."), ("CBRT", "Cbrt", "Cube root."),
            ("LN", "Ln", "Natural logarithm (-Infinity at 0, NaN below 0)."), ("EXP", "Exp", "e raised to x."),
            ("DEGREES", "Degrees", "Radians to degrees."), ("RADIANS", "Radians", "Degrees to radians."),
            ("SIN", "Sin", "Sine of radians."), ("COS", "Cos", "Cosine of radians."),
            ("TAN", "Tan", "Tangent of radians."), ("COT", "Cot", "Cotangent of radians (±Infinity at 0)."),
            ("ASIN", "Asin", "Arc sine in radians (NaN outside [-1, 1])."),
            ("ACOS", "Acos", "Arc cosine in radians (NaN outside [-1, 1])."),
            ("ATAN", "Atan", "Arc tangent in radians."), ("SINH", "Sinh", "Hyperbolic sine."),
            ("COSH", "Cosh", "Hyperbolic cosine."), ("TANH", "Tanh", "Hyperbolic tangent."),
        ];
        foreach (var (name, method, description) in unary)
            add(F(name, "MATHEMATICAL", description).Fixed(t, method, D, D));
    }

    /// <summary>ROUND / TRUNC: INT and BIGINT stay integers; DOUBLE gives BIGINT, or DOUBLE with places;
    /// DECIMAL(p, s) gives DECIMAL(p - s, 0), or DECIMAL(p, s) with places, as ksqlDB types them.</summary>
    private static FunctionDefinition RoundLike(string name, string description, string int32, string int64,
        string toLong, string doubleTo, string toDecimal, string decimalTo)
    {
        var t = typeof(MathFunctions);
        return F(name, "MATHEMATICAL", description)
            .Fixed(t, "Whole32", I, I).Fixed(t, "Whole64", L, L)
            .Add($"{name}(DECIMAL(p, s)) -> DECIMAL(p - s, 0)", args => args.Count == 1 && args[0] is DecimalType d
                ? WholeDecimal(name, d, t, toDecimal) : null)
            .Fixed(t, toLong, L, D)
            .Fixed(t, int32, I, I, I).Fixed(t, int64, L, L, I)
            .Add($"{name}(DECIMAL(p, s), INTEGER) -> DECIMAL(p, s)", args => args.Count == 2
                && args[0] is DecimalType d && ValueCast.CanCast(args[1], I, CastContext.Implicit)
                    ? d.IsWide ? Overload(name, typeof(WideDecimalFunctions), name == "ROUND" ? "RoundTo" : "TruncTo",
                        d, d, I) : Overload(name, t, decimalTo, d, d, I) : null)
            .Fixed(t, doubleTo, D, D, I);
    }

    /// <summary>ROUND / TRUNC of DECIMAL(p, s) without places: DECIMAL(p - s, 0), wide or not by its own
    /// precision (a wide argument may give a narrow result).</summary>
    private static FunctionOverload WholeDecimal(string name, DecimalType argument, Type owner, string method)
    {
        var result = new DecimalType(Math.Max(1, argument.Precision - argument.Scale), 0);
        if (!argument.IsWide)
            return Overload(name, owner, method, result, argument);
        var wide = (name == "ROUND" ? "Round" : "Trunc") + (result.IsWide ? "" : "Narrow");
        return Overload(name, typeof(WideDecimalFunctions), wide, result, argument);
    }

    /// <summary>ABS / CEIL / FLOOR of a DECIMAL keep its type; a wide one goes to
    /// <see cref="WideDecimalFunctions"/>.<paramref name="wideMethod"/>.</summary>
    private static FunctionOverload? SameDecimal(IReadOnlyList<SqlType> args, string name, Type owner, string method,
        string wideMethod) => args.Count == 1 && args[0] is DecimalType d
            ? d.IsWide ? Overload(name, typeof(WideDecimalFunctions), wideMethod, d, d)
                : Overload(name, owner, method, d, d)
            : null;

    private static FunctionDefinition Extreme(string name, string description, bool greatest)
    {
        var c = typeof(CollectionFunctions);
        var prefix = greatest ? "Greatest" : "Least";
        var definition = F(name, "MATHEMATICAL", description);
        foreach (var (type, method) in new[] { (I, "Int32"), (L, "Int64") })
            definition.Variadic(c, prefix + method, type, nullAware: true, [], type, minimumRepeated: 1);
        definition.Add($"{name}(DECIMAL(p, s), ...) -> DECIMAL", args => CommonDecimal(name, prefix, args));
        foreach (var (type, method) in new[]
                 {
                     (D, "Double"), (S, "String"), (SqlType.Date, "Int32"), (SqlType.Time, "Int32"), (Ts, "Int64"),
                     (SqlType.Bytes, "Bytes"),
                 })
            definition.Variadic(c, prefix + method, type, nullAware: true, [], type, minimumRepeated: 1);
        return definition;
    }

    /// <summary>DECIMAL arguments (with INT / BIGINT / NULL) compare in their common DECIMAL type, kept as the
    /// result type: GREATEST of DECIMAL(9, 3) values is a DECIMAL(9, 3).</summary>
    private static FunctionOverload? CommonDecimal(string name, string prefix, IReadOnlyList<SqlType> args)
    {
        SqlType? common = null;
        foreach (var arg in args)
        {
            if (arg.Kind is not (SqlTypeKind.Decimal or SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Null))
                return null;
            common = common is null ? arg : ValueCast.CommonType(common, arg);
        }
        if (common is not DecimalType type)
            return null;
        var parameters = new SqlType[args.Count];
        Array.Fill(parameters, type);
        var method = type.IsWide ? FunctionDefinition.FindMethod(typeof(WideDecimalFunctions), prefix, 1)
            : FunctionDefinition.FindMethod(typeof(CollectionFunctions), prefix + "Decimal", 1);
        return new FunctionOverload(name, method, new EquatableArray<SqlType>(parameters), type, NullAware: true,
            Variadic: true);
    }
}
