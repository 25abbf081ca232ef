using Query.Engine.Types;
using E = System.Linq.Expressions.Expression;

namespace Query.Engine.Execution;

/// <summary>
/// Emits the conversion of a non-null value between SQL types as typed calls (no boxing for scalars).
/// </summary>
internal static class CastEmitter
{
    private static E Call(string method, params E[] args) =>
        E.Call(typeof(CastMethods).GetMethod(method)!, args);

    private static E Wide(string method, params E[] args) =>
        E.Call(typeof(WideDecimalCasts).GetMethod(method)!, args);

    private static bool IsWide(SqlType type) => type is DecimalType { IsWide: true };

    public static E Convert(E value, SqlType from, SqlType to)
    {
        if (to is DecimalType target)
        {
            if (from is DecimalType source && source == target)
                return value;
            return target.IsWide
                ? Wide(nameof(WideDecimalCasts.ToPrecision), ToRawWide(value, from), E.Constant(target.Precision),
                    E.Constant(target.Scale))
                : Call(nameof(CastMethods.ToDecimal), ToRawDecimal(value, from), E.Constant(target.Precision),
                    E.Constant(target.Scale));
        }
        if (from.Kind == to.Kind && !from.IsComplex)
            return value;
        if (to.Kind == SqlTypeKind.String)
            return ToText(value, from);
        if (from.Kind == SqlTypeKind.String)
            return FromText(value, to);
        if (from.IsNumeric && to.IsNumeric)
            return Numeric(value, from, to);
        return (from.Kind, to.Kind) switch
        {
            (SqlTypeKind.BigInt, SqlTypeKind.Timestamp) or (SqlTypeKind.Timestamp, SqlTypeKind.BigInt) => value,
            (SqlTypeKind.Timestamp, SqlTypeKind.Date) => Call(nameof(CastMethods.TimestampToDate), value),
            (SqlTypeKind.Timestamp, SqlTypeKind.Time) => Call(nameof(CastMethods.TimestampToTime), value),
            (SqlTypeKind.Date, SqlTypeKind.Timestamp) => Call(nameof(CastMethods.DateToTimestamp), value),
            (SqlTypeKind.Boolean, SqlTypeKind.Int) => E.Condition(value, E.Constant(1), E.Constant(0)),
            (SqlTypeKind.Int, SqlTypeKind.Boolean) => E.NotEqual(value, E.Constant(0)),
            _ => E.Convert(E.Call(typeof(Arithmetic).GetMethod(nameof(Arithmetic.ConvertValue))!,
                E.Convert(value, typeof(object)), E.Constant(from), E.Constant(to)), to.ClrType),
        };
    }

    private static E ToRawWide(E value, SqlType from) => from.Kind switch
    {
        SqlTypeKind.Decimal when IsWide(from) => value,
        SqlTypeKind.Decimal => Wide(nameof(WideDecimalCasts.FromDecimal), value),
        SqlTypeKind.Double => Wide(nameof(WideDecimalCasts.FromDouble), value),
        SqlTypeKind.String => Wide(nameof(WideDecimalCasts.Parse), value),
        SqlTypeKind.Int or SqlTypeKind.BigInt => Wide(nameof(WideDecimalCasts.FromInt64), E.Convert(value,
            typeof(long))),
        _ => Wide(nameof(WideDecimalCasts.FromValue), E.Convert(value, typeof(object)), E.Constant(from)),
    };

    private static E ToRawDecimal(E value, SqlType from) => from.Kind switch
    {
        SqlTypeKind.Decimal when IsWide(from) => Wide(nameof(WideDecimalCasts.ToDecimal), value),
        SqlTypeKind.Decimal => value,
        SqlTypeKind.Double => Call(nameof(CastMethods.DoubleToDecimal), value),
        SqlTypeKind.String => Call(nameof(CastMethods.ParseDecimal), value),
        _ => E.Convert(value, typeof(decimal)),
    };

    private static E Numeric(E value, SqlType from, SqlType to) => (from.Kind, to.Kind) switch
    {
        (SqlTypeKind.BigInt, SqlTypeKind.Int) => Call(nameof(CastMethods.Int64ToInt32), value),
        (SqlTypeKind.Double, SqlTypeKind.Int) => Call(nameof(CastMethods.DoubleToInt32), value),
        (SqlTypeKind.Double, SqlTypeKind.BigInt) => Call(nameof(CastMethods.DoubleToInt64), value),
        (SqlTypeKind.Decimal, SqlTypeKind.Int) when IsWide(from) => Wide(nameof(WideDecimalCasts.ToInt32), value),
        (SqlTypeKind.Decimal, SqlTypeKind.BigInt) when IsWide(from) => Wide(nameof(WideDecimalCasts.ToInt64), value),
        (SqlTypeKind.Decimal, SqlTypeKind.Double) when IsWide(from) => Wide(nameof(WideDecimalCasts.ToDouble), value),
        (SqlTypeKind.Decimal, SqlTypeKind.Int) => Call(nameof(CastMethods.DecimalToInt32), value),
        (SqlTypeKind.Decimal, SqlTypeKind.BigInt) => Call(nameof(CastMethods.DecimalToInt64), value),
        (SqlTypeKind.Decimal, SqlTypeKind.Double) => Call(nameof(CastMethods.DecimalToDouble), value),
        _ => E.Convert(value, to.ClrType),
    };

    private static E ToText(E value, SqlType from) => from.Kind switch
    {
        SqlTypeKind.Boolean => Call(nameof(CastMethods.BooleanToString), value),
        SqlTypeKind.Int => Call(nameof(CastMethods.Int32ToString), value),
        SqlTypeKind.BigInt => Call(nameof(CastMethods.Int64ToString), value),
        SqlTypeKind.Double => Call(nameof(CastMethods.DoubleToString), value),
        SqlTypeKind.Decimal when IsWide(from) => Wide(nameof(WideDecimalCasts.ToText), value),
        SqlTypeKind.Decimal => Call(nameof(CastMethods.DecimalToString), value),
        SqlTypeKind.Timestamp => Call(nameof(CastMethods.TimestampToString), value),
        SqlTypeKind.Date => Call(nameof(CastMethods.DateToString), value),
        SqlTypeKind.Time => Call(nameof(CastMethods.TimeToString), value),
        SqlTypeKind.Bytes => Call(nameof(CastMethods.BytesToString), value),
        _ => E.Call(typeof(Arithmetic).GetMethod(nameof(Arithmetic.FormatValue))!, E.Convert(value, typeof(object)),
            E.Constant(from)),
    };

    private static E FromText(E value, SqlType to) => to.Kind switch
    {
        SqlTypeKind.Boolean => Call(nameof(CastMethods.ParseBoolean), value),
        SqlTypeKind.Int => Call(nameof(CastMethods.ParseInt32), value),
        SqlTypeKind.BigInt => Call(nameof(CastMethods.ParseInt64), value),
        SqlTypeKind.Double => Call(nameof(CastMethods.ParseDouble), value),
        SqlTypeKind.Timestamp => Call(nameof(CastMethods.ParseTimestamp), value),
        SqlTypeKind.Date => Call(nameof(CastMethods.ParseDate), value),
        SqlTypeKind.Time => Call(nameof(CastMethods.ParseTime), value),
        SqlTypeKind.Bytes => Call(nameof(CastMethods.ParseBytes), value),
        _ => E.Convert(E.Call(typeof(Arithmetic).GetMethod(nameof(Arithmetic.ParseValue))!, value, E.Constant(to)),
            to.ClrType),
    };
}
