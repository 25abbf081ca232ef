using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// ksqlDB's streaming aggregates (push and persistent queries, windowed or not) start SUM, AVG and STDDEV_SAMP
/// at 0, where PostgreSQL's batch aggregates (pull queries here) answer NULL over no non-NULL value: a group of
/// only NULLs, or a group of a table source whose last row was retracted, sums to 0 and averages to 0.0 in
/// ksqlDB (its SUM / AVG initializers are 0, AVG maps a count of 0 to 0.0, STDDEV_SAMP a count under 2 to 0.0).
/// </summary>
internal static class StreamingAggregateResults
{
    /// <summary>Which aggregates answer a zero instead of NULL when empty, by position.</summary>
    public static bool[] ZeroWhenEmpty(BoundAggregate[] aggregates)
    {
        var zero = new bool[aggregates.Length];
        for (var a = 0; a < aggregates.Length; a++)
            zero[a] = aggregates[a].Kind is AggregateKind.Sum or AggregateKind.Avg or AggregateKind.StddevSamp;
        return zero;
    }

    /// <summary><paramref name="result"/>, or the zero of <paramref name="type"/> when it is NULL.</summary>
    public static Cell OrZero(in Cell result, SqlType type) => !result.IsNull ? result : type.Kind switch
    {
        SqlTypeKind.Double => Cell.FromDouble(0),
        SqlTypeKind.Decimal when type is DecimalType { IsWide: true } wide
            => Cell.FromWideDecimal(new WideDecimal(0, wide.Scale)),
        SqlTypeKind.Decimal => Cell.FromDecimal(0m),
        _ => Cell.FromInt64(0),
    };
}
