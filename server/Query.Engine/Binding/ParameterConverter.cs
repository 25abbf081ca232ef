using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Binding;

/// <summary>
/// Converts a parameter value supplied by a client to the engine value of the parameter's SQL type. Strings are
/// parsed as text-format values (what the wire's text format sends); CLR numbers, bool, byte[], DateTime,
/// DateOnly, TimeOnly, Guid and the engine's own values are converted with the assignment casts.
/// </summary>
public static class ParameterConverter
{
    public static object? ToEngineValue(object? value, SqlType type)
    {
        switch (value)
        {
            case null or DBNull:
                return null;
            case string text:
                return ValueCast.ParseText(text, type);
            case DateTime dateTime:
                return FromTimestamp(Temporal.ToEpochMs(dateTime.Kind == DateTimeKind.Local
                    ? dateTime.ToUniversalTime() : dateTime), type);
            case DateTimeOffset offset:
                return FromTimestamp(offset.ToUnixTimeMilliseconds(), type);
            case DateOnly date:
                return Convert(date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber, SqlType.Date,
                    type);
            case TimeOnly time:
                return Convert((int)(time.Ticks / TimeSpan.TicksPerMillisecond), SqlType.Time, type);
            case Guid guid:
                return ValueCast.ParseText(guid.ToString(), type);
            case object?[] items:
                return ToEngineArray(items, type);
        }
        var (engineValue, sourceType) = value switch
        {
            bool b => ((object)b, SqlType.Boolean),
            short s => ((int)s, SqlType.Int),
            uint u => ((long)u, SqlType.BigInt),
            int i => (i, SqlType.Int),
            long l => (l, SqlType.BigInt),
            float f => ((double)f, SqlType.Double),
            double d => (d, SqlType.Double),
            decimal m => (m, new DecimalType(DecimalType.MaxPrecision, m.Scale)),
            byte[] bytes => (bytes, SqlType.Bytes),
            SqlArray or SqlMap or SqlStruct => (value, type),
            _ => throw new SqlException(SqlState.InvalidParameterValue,
                $"parameter values of CLR type {value.GetType().Name} are not supported"),
        };
        return Convert(engineValue, sourceType, type);
    }

    /// <summary>A decoded wire array (CLR element values, nested once per dimension), element by element.</summary>
    private static SqlArray ToEngineArray(object?[] items, SqlType type)
    {
        if (type is not ArrayType array)
            throw new SqlException(SqlState.DatatypeMismatch, $"an array parameter cannot be used as {type}");
        var values = new object?[items.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = ToEngineValue(items[i], array.Element);
        return new SqlArray(values);
    }

    private static object? FromTimestamp(long ms, SqlType type) => Convert(ms, SqlType.Timestamp, type);

    private static object? Convert(object value, SqlType from, SqlType to)
    {
        if (!ValueCast.CanCast(from, to, CastContext.Explicit))
            throw new SqlException(SqlState.DatatypeMismatch,
                $"parameter of type {from} cannot be used as {to}");
        return ValueCast.Convert(value, from, to);
    }
}
