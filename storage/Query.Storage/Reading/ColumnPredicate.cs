namespace Query.Storage.Reading;

/// <summary>How a <see cref="ColumnPredicate"/> compares a column's value with its constant.</summary>
public enum ColumnComparison
{
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// <c>column op constant</c> on a record value's column (numbered as the stream's layout numbers them), which a
/// columnar source may use to skip whole parts by their statistics and to drop rows before it rebuilds them.
/// The constant is an <see cref="long"/> (integer columns, TIMESTAMP as epoch milliseconds, DATE as days since
/// 1970-01-01), a <see cref="double"/> (DOUBLE columns, or integer columns widened to double), a
/// <see cref="string"/> (STRING, compared ordinally by UTF-16 code units) or a <see cref="bool"/> (FALSE &lt;
/// TRUE). A NULL column value fails every predicate, as a NULL comparison does in a WHERE clause; so does NaN
/// (IEEE comparisons).
/// </summary>
public sealed record ColumnPredicate
{
    public ColumnPredicate(int column, ColumnComparison comparison, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is not (long or double or string or bool))
            throw new ArgumentException($"a column predicate compares with a long, double, string or bool, not " +
                $"{value.GetType().Name}", nameof(value));
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        Column = column;
        Comparison = comparison;
        Value = value;
    }

    public int Column { get; }
    public ColumnComparison Comparison { get; }

    /// <summary>A <see cref="long"/>, <see cref="double"/>, <see cref="string"/> or <see cref="bool"/>.</summary>
    public object Value { get; }

    /// <summary>Whether <paramref name="order"/> (the column value compared with the constant: negative, zero,
    /// positive) satisfies this predicate.</summary>
    public bool Accepts(int order) => Comparison switch
    {
        ColumnComparison.Equal => order == 0,
        ColumnComparison.Less => order < 0,
        ColumnComparison.LessOrEqual => order <= 0,
        ColumnComparison.Greater => order > 0,
        _ => order >= 0,
    };

    public override string ToString() => Describe("column " + Column.ToString(
        System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The predicate as SQL, with <paramref name="columnName"/> for the column.</summary>
    public string Describe(string columnName)
    {
        var op = Comparison switch
        {
            ColumnComparison.Equal => "=",
            ColumnComparison.Less => "<",
            ColumnComparison.LessOrEqual => "<=",
            ColumnComparison.Greater => ">",
            _ => ">=",
        };
        var constant = Value is string text ? "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'"
            : Convert.ToString(Value, System.Globalization.CultureInfo.InvariantCulture);
        return $"{columnName} {op} {constant}";
    }
}
