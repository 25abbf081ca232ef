using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// A forward-only stream of result rows with typed, non-boxing accessors for the current row. Pull queries end;
/// push queries (EMIT CHANGES) end only at LIMIT or when the token passed to <see cref="ReadAsync"/> is canceled
/// (which raises <see cref="SqlException"/> 57014). When <see cref="ReadAsync"/> does not complete synchronously
/// the next row is not yet available: that is the moment for a wire server to flush what it has written.
/// Types: BOOLEAN → GetBoolean; INTEGER → GetInt32; BIGINT → GetInt64; DOUBLE → GetDouble;
/// DECIMAL → GetDecimal;
/// STRING → GetString; BYTES → GetBytes; TIMESTAMP → GetInt64 (epoch ms) or GetDateTime; DATE → GetInt32 (days
/// since 1970-01-01) or GetDateOnly; TIME → GetInt32 (ms of day) or GetTimeOnly; ARRAY/MAP/STRUCT → GetValue
/// (SqlArray / SqlMap / SqlStruct) or GetText (JSON). GetText gives any value's text form.
/// </summary>
public abstract class RowReader : IAsyncDisposable
{
    protected RowReader(IReadOnlyList<ColumnInfo> columns)
    {
        Columns = columns;
        Current = new Cell[Math.Max(1, columns.Count)];
    }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    /// <summary>The current row's cells; valid until the next <see cref="ReadAsync"/>.</summary>
    protected Cell[] Current { get; set; }

    /// <summary>Rows returned so far.</summary>
    public long RowCount { get; protected set; }

    /// <summary>What storage reads this query did (segments, batches read and skipped, bytes).</summary>
    public ScanStatistics Statistics { get; } = new();

    /// <summary>Advances to the next row; false at the end of a pull query or at a push query's LIMIT.</summary>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var read = ReadCoreAsync(cancellationToken);
            return read.IsCompletedSuccessfully ? read : AwaitTranslated(read);
        }
        catch (Exception e) when (EngineSession.TranslateException(e) is { } translated)
        {
            throw translated;
        }
    }

    private static async ValueTask<bool> AwaitTranslated(ValueTask<bool> read)
    {
        try
        {
            return await read;
        }
        catch (Exception e) when (EngineSession.TranslateException(e) is { } translated)
        {
            throw translated;
        }
    }

    protected abstract ValueTask<bool> ReadCoreAsync(CancellationToken cancellationToken);

    public bool IsNull(int ordinal) => Current[ordinal].IsNull;

    public bool GetBoolean(int ordinal) => Current[ordinal].Bits != 0;

    public int GetInt32(int ordinal) => (int)Current[ordinal].Bits;

    public long GetInt64(int ordinal) => Current[ordinal].Bits;

    public double GetDouble(int ordinal) => Current[ordinal].AsDouble;

    public decimal GetDecimal(int ordinal) => Current[ordinal].Decimal;

    public string GetString(int ordinal) => (string)Current[ordinal].Ref!;

    public byte[] GetBytes(int ordinal) => (byte[])Current[ordinal].Ref!;

    public DateTime GetDateTime(int ordinal) => Temporal.ToDateTime(Current[ordinal].Bits);

    public DateOnly GetDateOnly(int ordinal) =>
        DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(Current[ordinal].Bits));

    public TimeOnly GetTimeOnly(int ordinal) => TimeOnly.FromTimeSpan(TimeSpan.FromMilliseconds(Current[ordinal].Bits));

    /// <summary>The value boxed as the engine's CLR value (null for NULL); for ARRAY / MAP / STRUCT.</summary>
    public object? GetValue(int ordinal) => Current[ordinal].ToObject(Columns[ordinal].Type);

    /// <summary>PostgreSQL-style text of the value (null for NULL); complex values as JSON.</summary>
    public string? GetText(int ordinal)
    {
        if (Current[ordinal].IsNull)
            return null;
        var type = Columns[ordinal].Type;
        return type.Kind == SqlTypeKind.Boolean
            ? (Current[ordinal].Bits != 0 ? "t" : "f")
            : ValueText.Format(Current[ordinal].ToObject(type), type);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return default;
    }
}
