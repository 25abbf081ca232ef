using System.Globalization;

namespace Query.Grammar.Ast;

/// <summary>A constant written in the statement.</summary>
public abstract record Literal : Expr;

public sealed record NullLiteral : Literal;

public sealed record BooleanLiteral(bool Value) : Literal;

/// <summary>An integer that fits a <see cref="long"/>; larger integers become <see cref="DecimalLiteral"/>.</summary>
public sealed record IntegerLiteral(long Value) : Literal;

/// <summary>
/// An exact number with a decimal point (<c>1.50</c>), kept as written because the scale is part of its type
/// (DECIMAL(3, 2)) and may exceed what <see cref="decimal"/> holds.
/// </summary>
public sealed record DecimalLiteral(string Text) : Literal
{
    public bool TryGetDecimal(out decimal value) =>
        decimal.TryParse(Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}

/// <summary>A number written with an exponent (<c>1.5E3</c>).</summary>
public sealed record DoubleLiteral(double Value) : Literal;

/// <summary>A string literal, with <c>''</c> escapes already undone.</summary>
public sealed record StringLiteral(string Value) : Literal;

/// <summary><c>TIMESTAMP '...'</c>: the text is checked by the engine, which knows the formats.</summary>
public sealed record TimestampLiteral(string Value) : Literal;

/// <summary><c>DATE '...'</c>.</summary>
public sealed record DateLiteral(string Value) : Literal;

/// <summary><c>TIME '...'</c>.</summary>
public sealed record TimeLiteral(string Value) : Literal;

/// <summary>
/// <c>INTERVAL 'n' unit</c>, or <c>INTERVAL '1 day'</c> (PostgreSQL) when <see cref="Unit"/> is null.
/// </summary>
public sealed record IntervalLiteral(string Value, TimeUnit? Unit) : Literal;

/// <summary>Units of time for windows, WITHIN and INTERVAL: MILLISECOND(S) .. DAY(S).</summary>
public enum TimeUnit
{
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
}

/// <summary>A count of a time unit, as in <c>SIZE 5 MINUTES</c>.</summary>
public sealed record Duration(long Value, TimeUnit Unit) : SyntaxNode
{
    public TimeSpan ToTimeSpan() => Unit switch
    {
        TimeUnit.Millisecond => TimeSpan.FromMilliseconds(Value),
        TimeUnit.Second => TimeSpan.FromSeconds(Value),
        TimeUnit.Minute => TimeSpan.FromMinutes(Value),
        TimeUnit.Hour => TimeSpan.FromHours(Value),
        _ => TimeSpan.FromDays(Value),
    };
}
