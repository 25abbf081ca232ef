using System.Text.Json;
using Query.Engine.Errors;

namespace Query.Engine.Types;

/// <summary>Where a conversion happens, which decides what PostgreSQL would allow there.</summary>
public enum CastContext
{
    /// <summary>Operands of comparisons, arithmetic, function arguments: only widening.</summary>
    Implicit,

    /// <summary>INSERT values into a column: also numeric narrowing with a range check.</summary>
    Assignment,

    /// <summary>CAST(x AS t) and x::t.</summary>
    Explicit,
}

/// <summary>
/// The cast rules (PostgreSQL's, restricted to our types) and a boxed converter used off hot paths (INSERT values,
/// parameters, COPY text fields). Compiled expressions use <see cref="CastMethods"/> directly.
/// </summary>
public static class ValueCast
{
    public static bool CanCast(SqlType from, SqlType to, CastContext context)
    {
        if (from == to || from.Kind == SqlTypeKind.Null || (from.Kind == to.Kind && !from.IsComplex))
            return true;
        if (from.IsNumeric && to.IsNumeric)
            return context != CastContext.Implicit || NumericRank(to) > NumericRank(from);
        // ROWTIME is BIGINT epoch ms (ksqlDB); it compares with TIMESTAMP values as milliseconds.
        if ((from.Kind, to.Kind) is (SqlTypeKind.BigInt, SqlTypeKind.Timestamp) or (SqlTypeKind.Timestamp,
            SqlTypeKind.BigInt))
            return true;
        if (context == CastContext.Implicit)
            return false;
        if (from.IsComplex && to.IsComplex)
            return ComplexCast.CanCast(from, to, context);
        if (context == CastContext.Assignment)
            return to.Kind == SqlTypeKind.String && !from.IsComplex;
        return ExplicitAllowed(from, to);
    }

    private static bool ExplicitAllowed(SqlType from, SqlType to)
    {
        if (to.Kind == SqlTypeKind.String || from.Kind == SqlTypeKind.String)
            return !to.IsComplex || from.Kind == SqlTypeKind.String;
        return (from.Kind, to.Kind) switch
        {
            (SqlTypeKind.BigInt, SqlTypeKind.Timestamp) or (SqlTypeKind.Timestamp, SqlTypeKind.BigInt) => true,
            (SqlTypeKind.Timestamp, SqlTypeKind.Date) or (SqlTypeKind.Timestamp, SqlTypeKind.Time) => true,
            (SqlTypeKind.Date, SqlTypeKind.Timestamp) => true,
            (SqlTypeKind.Boolean, SqlTypeKind.Int) or (SqlTypeKind.Int, SqlTypeKind.Boolean) => true,
            _ => false,
        };
    }

    public static int NumericRank(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Int => 1,
        SqlTypeKind.BigInt => 2,
        SqlTypeKind.Decimal => 3,
        SqlTypeKind.Double => 4,
        _ => 0,
    };

    /// <summary>
    /// The type both operands convert to implicitly (numeric widening, NULL adopts the other), or null.
    /// </summary>
    public static SqlType? CommonType(SqlType a, SqlType b)
    {
        if (a == b)
            return a;
        if (a.Kind == SqlTypeKind.Null)
            return b;
        if (b.Kind == SqlTypeKind.Null)
            return a;
        if (a.IsNumeric && b.IsNumeric)
        {
            if (AsDecimal(a) is { } x && AsDecimal(b) is { } y && (a is DecimalType || b is DecimalType))
                return WiderDecimal(x, y);
            return NumericRank(a) >= NumericRank(b) ? a : b;
        }
        if (a.Kind == b.Kind && !a.IsComplex)
            return a;
        // ROWTIME is BIGINT (ksqlDB); comparing it with a TIMESTAMP compares epoch milliseconds.
        if ((a.Kind, b.Kind) is (SqlTypeKind.BigInt, SqlTypeKind.Timestamp) or (SqlTypeKind.Timestamp,
            SqlTypeKind.BigInt))
            return SqlType.BigInt;
        return null;
    }

    // An integer meets a DECIMAL as the DECIMAL that holds every value of it (as ksqlDB and PostgreSQL widen), so
    // `int_col > 2.5` compares rather than squeezing the column into DECIMAL(2, 1).
    private static DecimalType? AsDecimal(SqlType type) => type switch
    {
        DecimalType d => d,
        { Kind: SqlTypeKind.Int } => new DecimalType(10, 0),
        { Kind: SqlTypeKind.BigInt } => new DecimalType(19, 0),
        _ => null,
    };

    private static DecimalType WiderDecimal(DecimalType x, DecimalType y)
    {
        var scale = Math.Max(x.Scale, y.Scale);
        var integral = Math.Max(x.Precision - x.Scale, y.Precision - y.Scale);
        var most = x.IsWide || y.IsWide ? DecimalType.WideMaxPrecision : DecimalType.MaxPrecision;
        return new DecimalType(Math.Min(most, integral + scale), Math.Min(scale, most));
    }

    /// <summary>Parses text into a value of <paramref name="to"/> (literals, text parameters, COPY fields).</summary>
    public static object? ParseText(string text, SqlType to) => to switch
    {
        DecimalType { IsWide: true } wide => WideDecimal.Parse(text).ToPrecision(wide.Precision, wide.Scale),
        DecimalType d => CastMethods.ToDecimal(CastMethods.ParseDecimal(text), d.Precision, d.Scale),
        ArrayType array when PgArrayLiteral.IsArraySyntax(text) => PgArrayLiteral.Parse(text, array),
        { IsComplex: true } => ParseJson(text, to),
        _ => to.Kind switch
        {
            SqlTypeKind.Boolean => CastMethods.ParseBoolean(text),
            SqlTypeKind.Int => CastMethods.ParseInt32(text),
            SqlTypeKind.BigInt => CastMethods.ParseInt64(text),
            SqlTypeKind.Double => CastMethods.ParseDouble(text),
            SqlTypeKind.Bytes => CastMethods.ParseBytes(text),
            SqlTypeKind.Timestamp => CastMethods.ParseTimestamp(text),
            SqlTypeKind.Date => CastMethods.ParseDate(text),
            SqlTypeKind.Time => CastMethods.ParseTime(text),
            _ => text,
        },
    };

    /// <summary>Parses text straight into a cell: COPY's per-field path, without boxing scalars.</summary>
    public static Cell ParseTextCell(string text, SqlType to) => to.Kind switch
    {
        SqlTypeKind.Boolean => Cell.FromInt64(CastMethods.ParseBoolean(text) ? 1 : 0),
        SqlTypeKind.Int => Cell.FromInt64(CastMethods.ParseInt32(text)),
        SqlTypeKind.BigInt => Cell.FromInt64(CastMethods.ParseInt64(text)),
        SqlTypeKind.Double => Cell.FromDouble(CastMethods.ParseDouble(text)),
        SqlTypeKind.Timestamp => Cell.FromInt64(CastMethods.ParseTimestamp(text)),
        SqlTypeKind.Date => Cell.FromInt64(CastMethods.ParseDate(text)),
        SqlTypeKind.Time => Cell.FromInt64(CastMethods.ParseTime(text)),
        SqlTypeKind.String => Cell.FromRef(text),
        _ => Cell.FromObject(ParseText(text, to), to),
    };

    private static object? ParseJson(string text, SqlType to)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return Format.JsonRowFormat.FromElement(document.RootElement, to);
        }
        catch (JsonException)
        {
            throw SqlException.InvalidText(to.ToString(), text);
        }
        catch (SqlException)
        {
            throw SqlException.InvalidText(to.ToString(), text);
        }
    }

    /// <summary>
    /// Converts a boxed engine value from one type to another (caller checked <see cref="CanCast"/>).
    /// </summary>
    public static object? Convert(object? value, SqlType from, SqlType to)
    {
        if (value is null)
            return null;
        if (to is DecimalType { IsWide: true } wide)
            return WideDecimalCasts.FromValue(value, from).ToPrecision(wide.Precision, wide.Scale);
        if (to is DecimalType target)
            return CastMethods.ToDecimal(ToDecimal(value, from), target.Precision, target.Scale);
        if (from == to || (from.Kind == to.Kind && !from.IsComplex))
            return value;
        if (to.Kind == SqlTypeKind.String)
            return ValueText.Format(value, from);
        if (from.Kind == SqlTypeKind.String)
            return ParseText((string)value, to);
        if (from.IsComplex && to.IsComplex)
            return ComplexCast.Convert(value, from, to);
        return (from.Kind, to.Kind) switch
        {
            (_, SqlTypeKind.Int) when from.Kind == SqlTypeKind.Boolean => (bool)value ? 1 : 0,
            (_, SqlTypeKind.Boolean) => (int)value != 0,
            (_, SqlTypeKind.Int) => ToInt32(value, from),
            (_, SqlTypeKind.BigInt) => ToInt64(value, from),
            (_, SqlTypeKind.Double) => ToDouble(value, from),
            (SqlTypeKind.BigInt, SqlTypeKind.Timestamp) => value,
            (SqlTypeKind.Timestamp, SqlTypeKind.Date) => CastMethods.TimestampToDate((long)value),
            (SqlTypeKind.Timestamp, SqlTypeKind.Time) => CastMethods.TimestampToTime((long)value),
            (SqlTypeKind.Date, SqlTypeKind.Timestamp) => CastMethods.DateToTimestamp((int)value),
            _ => throw SqlException.DatatypeMismatch($"cannot cast type {from} to {to}"),
        };
    }

    private static int ToInt32(object value, SqlType from) => from.Kind switch
    {
        SqlTypeKind.BigInt or SqlTypeKind.Timestamp => CastMethods.Int64ToInt32((long)value),
        SqlTypeKind.Double => CastMethods.DoubleToInt32((double)value),
        SqlTypeKind.Decimal when value is WideDecimal wide => WideDecimalCasts.ToInt32(wide),
        SqlTypeKind.Decimal => CastMethods.DecimalToInt32((decimal)value),
        _ => (int)value,
    };

    private static long ToInt64(object value, SqlType from) => from.Kind switch
    {
        SqlTypeKind.Int => (int)value,
        SqlTypeKind.Double => CastMethods.DoubleToInt64((double)value),
        SqlTypeKind.Decimal when value is WideDecimal wide => WideDecimalCasts.ToInt64(wide),
        SqlTypeKind.Decimal => CastMethods.DecimalToInt64((decimal)value),
        _ => (long)value,
    };

    private static double ToDouble(object value, SqlType from) => from.Kind switch
    {
        SqlTypeKind.Int => (int)value,
        SqlTypeKind.BigInt => (long)value,
        SqlTypeKind.Decimal when value is WideDecimal wide => wide.ToDouble(),
        SqlTypeKind.Decimal => (double)(decimal)value,
        _ => (double)value,
    };

    private static decimal ToDecimal(object value, SqlType from) => from.Kind switch
    {
        SqlTypeKind.Int => (int)value,
        SqlTypeKind.BigInt => (long)value,
        SqlTypeKind.Double => CastMethods.DoubleToDecimal((double)value),
        SqlTypeKind.String => CastMethods.ParseDecimal((string)value),
        _ when value is WideDecimal wide => wide.ToDecimal(),
        _ => (decimal)value,
    };
}
