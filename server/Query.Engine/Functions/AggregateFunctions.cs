using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Functions;

public enum AggregateKind
{
    CountStar,
    Count,
    CountDistinct,
    Sum,
    Avg,
    Min,
    Max,
    LatestByOffset,
    EarliestByOffset,
    CollectList,
    CollectSet,
    StddevSamp,
    TopK,
    TopKDistinct,
    Histogram,
    Correlation,
    SumList,
    Attr,

    /// <summary>
    /// Internal (not listed): the time of a group's last change, added or retracted. A persistent aggregate over a
    /// table stamps its output rows with it, as ksqlDB stamps them with the time of the update that caused them.
    /// </summary>
    ChangeTime,
}

/// <summary>
/// The aggregate functions: name resolution, result types and accumulators. NULL inputs are skipped (COUNT(*)
/// counts rows); an aggregate over no non-NULL input is NULL except the counts, which are 0.
/// LATEST_BY_OFFSET / EARLIEST_BY_OFFSET follow the order rows are read (offset order within a partition).
/// </summary>
public static class AggregateFunctions
{
    public static readonly (string Name, string Signature, string Description)[] Catalog =
    [
        ("COUNT", "COUNT(*) | COUNT(x) | COUNT(DISTINCT x) -> BIGINT", "Rows, or non-NULL values."),
        ("COUNT_DISTINCT", "COUNT_DISTINCT(x) -> BIGINT", "Distinct non-NULL values."),
        ("SUM", "SUM(numeric) -> BIGINT | DOUBLE | DECIMAL", "Sum of non-NULL values."),
        ("AVG", "AVG(numeric) -> DOUBLE | DECIMAL", "Mean of non-NULL values."),
        ("MIN", "MIN(T) -> T", "Smallest non-NULL value."),
        ("MAX", "MAX(T) -> T", "Largest non-NULL value."),
        ("LATEST_BY_OFFSET", "LATEST_BY_OFFSET(T [, ignoreNulls]) -> T | LATEST_BY_OFFSET(T, n [, ignoreNulls]) "
            + "-> ARRAY<T>", "The last non-NULL value read (or the last n; NULLs too when ignoreNulls is false)."),
        ("EARLIEST_BY_OFFSET", "EARLIEST_BY_OFFSET(T [, ignoreNulls]) -> T | EARLIEST_BY_OFFSET(T, n "
            + "[, ignoreNulls]) -> ARRAY<T>",
            "The first non-NULL value read (or the first n; NULLs too when ignoreNulls is false)."),
        ("COLLECT_LIST", "COLLECT_LIST(T) -> ARRAY<T>", "All non-NULL values."),
        ("COLLECT_SET", "COLLECT_SET(T) -> ARRAY<T>", "Distinct non-NULL values."),
        ("STDDEV_SAMP", "STDDEV_SAMP(numeric) -> DOUBLE", "Sample standard deviation."),
        ("STDDEV_SAMPLE", "STDDEV_SAMPLE(numeric) -> DOUBLE", "Sample standard deviation (ksqlDB's other name)."),
        ("TOPK", "TOPK(T, k) -> ARRAY<T> | TOPK(T, col1, ..., k) -> ARRAY<STRUCT<sort_col T, col0, ...>>",
            "The k largest non-NULL values, largest first (with other columns of their rows)."),
        ("TOPKDISTINCT", "TOPKDISTINCT(T, k) -> ARRAY<T>", "The k largest distinct non-NULL values."),
        ("HISTOGRAM", "HISTOGRAM(STRING) -> MAP<STRING, BIGINT>",
            "How often each value occurs (at most 1000 distinct values)."),
        ("CORRELATION", "CORRELATION(DOUBLE, DOUBLE) -> DOUBLE", "Pearson correlation of the non-NULL pairs."),
        ("SUM_LIST", "SUM_LIST(ARRAY<INT | BIGINT | DOUBLE>) -> INT | BIGINT | DOUBLE",
            "Sum of the non-NULL elements of every list (0 before any)."),
        ("ATTR", "ATTR(T) -> T", "The value every row has (NULL counts as one), NULL when rows differ."),
    ];

    /// <summary>The internal name of <see cref="AggregateKind.ChangeTime"/> (a persistent query adds it).</summary>
    public const string ChangeTimeName = "__QUERY_CHANGE_TIME";

    /// <summary>Largest k of TOPK / TOPKDISTINCT (the state holds k values per group).</summary>
    public const int MaxTopK = 10_000;

    /// <summary>How many arguments an aggregate takes at least (COUNT(*) aside).</summary>
    public static int Arity(AggregateKind kind) =>
        kind is AggregateKind.TopK or AggregateKind.TopKDistinct or AggregateKind.Correlation ? 2 : 1;

    /// <summary>The most arguments an aggregate takes: LATEST_BY_OFFSET(x, n, ignoreNulls) has optional ones, TOPK
    /// any number of columns before its k.</summary>
    public static int MaxArity(AggregateKind kind) => kind switch
    {
        AggregateKind.LatestByOffset or AggregateKind.EarliestByOffset => 3,
        AggregateKind.TopK => int.MaxValue,
        _ => Arity(kind),
    };

    public static bool IsAggregate(string name) => TryGetKind(name, distinct: false, star: false, out _);

    public static bool TryGetKind(string name, bool distinct, bool star, out AggregateKind kind)
    {
        kind = name.ToUpperInvariant() switch
        {
            "COUNT" => star ? AggregateKind.CountStar : distinct ? AggregateKind.CountDistinct : AggregateKind.Count,
            "COUNT_DISTINCT" => AggregateKind.CountDistinct,
            "SUM" => AggregateKind.Sum,
            "AVG" => AggregateKind.Avg,
            "MIN" => AggregateKind.Min,
            "MAX" => AggregateKind.Max,
            "LATEST_BY_OFFSET" => AggregateKind.LatestByOffset,
            "EARLIEST_BY_OFFSET" => AggregateKind.EarliestByOffset,
            "COLLECT_LIST" or "ARRAY_AGG" => AggregateKind.CollectList,
            "COLLECT_SET" => AggregateKind.CollectSet,
            "STDDEV_SAMP" or "STDDEV_SAMPLE" => AggregateKind.StddevSamp,
            "TOPK" => AggregateKind.TopK,
            "TOPKDISTINCT" => AggregateKind.TopKDistinct,
            "HISTOGRAM" => AggregateKind.Histogram,
            "CORRELATION" => AggregateKind.Correlation,
            "SUM_LIST" => AggregateKind.SumList,
            "ATTR" => AggregateKind.Attr,
            ChangeTimeName => AggregateKind.ChangeTime,
            _ => (AggregateKind)(-1),
        };
        return (int)kind >= 0;
    }

    /// <summary>The type the argument is cast to before accumulation, and the result type.</summary>
    public static (SqlType? Input, SqlType Result) Types(AggregateKind kind, SqlType? argument, int? position)
    {
        switch (kind)
        {
            case AggregateKind.CountStar or AggregateKind.Count or AggregateKind.CountDistinct:
                return (argument, SqlType.BigInt);
            case AggregateKind.Sum or AggregateKind.Avg or AggregateKind.StddevSamp:
                if (argument is null || !(argument.IsNumeric || argument.Kind == SqlTypeKind.Null))
                    throw new SqlException(SqlState.UndefinedFunction,
                        $"function {kind.ToString().ToUpperInvariant()}({argument}) does not exist",
                            position: position);
                if (kind == AggregateKind.StddevSamp)
                    return (SqlType.Double, SqlType.Double);
                if (argument is DecimalType d)
                    return (d, new DecimalType(d.IsWide ? DecimalType.WideMaxPrecision : DecimalType.MaxPrecision,
                        d.Scale));
                if (argument.Kind == SqlTypeKind.Double || kind == AggregateKind.Avg)
                    return (SqlType.Double, SqlType.Double);
                return (SqlType.BigInt, SqlType.BigInt);
            case AggregateKind.Histogram:
                return (SqlType.String, new MapType(SqlType.String, SqlType.BigInt));
            case AggregateKind.SumList:
                if (argument is not ArrayType list
                    || list.Element.Kind is not (SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Double))
                    throw new SqlException(SqlState.UndefinedFunction,
                        $"function SUM_LIST({argument}) does not exist", position: position,
                        hint: "SUM_LIST takes an ARRAY<INT>, ARRAY<BIGINT> or ARRAY<DOUBLE>.");
                return (list, list.Element);
            case AggregateKind.Correlation:
                return (new ArrayType(SqlType.Double), SqlType.Double);
            case AggregateKind.TopK or AggregateKind.TopKDistinct:
                if (argument is null || argument.IsComplex)
                    throw new SqlException(SqlState.UndefinedFunction,
                        $"function {kind.ToString().ToUpperInvariant()}({argument}) does not exist",
                            position: position);
                return (argument, new ArrayType(argument));
            case AggregateKind.Min or AggregateKind.Max:
                if (argument is null || argument.IsComplex)
                    throw new SqlException(SqlState.UndefinedFunction,
                        $"function {kind.ToString().ToUpperInvariant()}({argument}) does not exist",
                            position: position);
                return (argument, argument);
            case AggregateKind.CollectList or AggregateKind.CollectSet:
                return (argument, new ArrayType(argument ?? SqlType.String));
            default:
                return (argument, argument ?? SqlType.String);
        }
    }

    /// <summary>The accumulator of a bound aggregate (with its constant parameter, TOPK's k).</summary>
    public static Accumulator Create(Binding.BoundAggregate aggregate) => aggregate.Kind switch
    {
        AggregateKind.TopK => new TopKAccumulator(aggregate.InputType!, aggregate.Parameter, distinct: false),
        AggregateKind.TopKDistinct => new TopKAccumulator(aggregate.InputType!, aggregate.Parameter, distinct: true),
        AggregateKind.LatestByOffset or AggregateKind.EarliestByOffset when aggregate.Parameter > 0
            => new ByOffsetListAccumulator(aggregate.InputType ?? SqlType.String,
                aggregate.Kind == AggregateKind.LatestByOffset, aggregate.Parameter, aggregate.KeepNulls),
        AggregateKind.LatestByOffset or AggregateKind.EarliestByOffset when aggregate.KeepNulls
            => new ByOffsetKeepingNullsAccumulator(aggregate.InputType ?? SqlType.String,
                aggregate.Kind == AggregateKind.LatestByOffset),
        _ => Create(aggregate.Kind, aggregate.InputType),
    };

    public static Accumulator Create(AggregateKind kind, SqlType? input) => kind switch
    {
        AggregateKind.TopK or AggregateKind.TopKDistinct => throw new ArgumentException(
            "TOPK needs its k: create it from the BoundAggregate", nameof(kind)),
        AggregateKind.Histogram => new HistogramAccumulator(),
        AggregateKind.Correlation => new CorrelationAccumulator(),
        AggregateKind.CountStar => new CountAccumulator(countNulls: true),
        AggregateKind.Count => new CountAccumulator(countNulls: false),
        AggregateKind.CountDistinct => new DistinctCountAccumulator(input!),
        AggregateKind.Sum => input!.Kind switch
        {
            SqlTypeKind.Double => new DoubleSumAccumulator(average: false),
            SqlTypeKind.Decimal when input is DecimalType { IsWide: true } wide
                => new WideDecimalSumAccumulator(average: false, wide.Scale),
            SqlTypeKind.Decimal => new DecimalSumAccumulator(average: false),
            _ => new Int64SumAccumulator(),
        },
        AggregateKind.Avg when input is DecimalType { IsWide: true } wide
            => new WideDecimalSumAccumulator(average: true, wide.Scale),
        AggregateKind.Avg => input!.Kind == SqlTypeKind.Decimal
            ? new DecimalSumAccumulator(average: true) : new DoubleSumAccumulator(average: true),
        AggregateKind.StddevSamp => new StddevAccumulator(),
        AggregateKind.Min => new ExtremeAccumulator(input!, max: false),
        AggregateKind.Max => new ExtremeAccumulator(input!, max: true),
        AggregateKind.LatestByOffset => new ByOffsetAccumulator(input ?? SqlType.String, latest: true),
        AggregateKind.EarliestByOffset => new ByOffsetAccumulator(input ?? SqlType.String, latest: false),
        AggregateKind.CollectList => new CollectAccumulator(input!, distinct: false),
        AggregateKind.ChangeTime => new ChangeTimeAccumulator(input ?? SqlType.BigInt),
        AggregateKind.SumList => new SumListAccumulator(((ArrayType)input!).Element.Kind),
        AggregateKind.Attr => new AttrAccumulator(input ?? SqlType.String),
        _ => new CollectAccumulator(input!, distinct: true),
    };
}
