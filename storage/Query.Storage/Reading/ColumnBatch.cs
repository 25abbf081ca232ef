namespace Query.Storage.Reading;

/// <summary>What one <see cref="ColumnVector"/> holds per row.</summary>
public enum ColumnVectorKind
{
    /// <summary><see cref="ColumnVector.Booleans"/>.</summary>
    Boolean,

    /// <summary><see cref="ColumnVector.Int32s"/>: 32-bit integers, DATE as days since 1970-01-01, TIME as
    /// milliseconds of the day.</summary>
    Int32,

    /// <summary><see cref="ColumnVector.Int64s"/>: 64-bit integers, TIMESTAMP as epoch milliseconds.</summary>
    Int64,

    /// <summary><see cref="ColumnVector.Doubles"/>.</summary>
    Double,

    /// <summary><see cref="ColumnVector.Decimals"/>.</summary>
    Decimal,

    /// <summary><see cref="ColumnVector.Texts"/>: views of the reader's buffers, valid until its next read.</summary>
    Text,

    /// <summary><see cref="ColumnVector.Binaries"/>: views of the reader's buffers, valid until its next read.
    /// </summary>
    Binary,
}

/// <summary>
/// One column of a <see cref="ColumnBatch"/>, one slot per row of the batch (not only per selected row): the
/// array of its kind holds row r's value at index r, and <see cref="Nulls"/> (when <see cref="HasNulls"/>) says
/// which rows are NULL. Arrays are reused from batch to batch, so they may be longer than the batch.
/// </summary>
public sealed class ColumnVector(ColumnVectorKind kind)
{
    public ColumnVectorKind Kind { get; } = kind;

    /// <summary>Whether any row is NULL; when false <see cref="Nulls"/> is not looked at.</summary>
    public bool HasNulls;

    public bool[] Nulls = [];
    public bool[] Booleans = [];
    public int[] Int32s = [];
    public long[] Int64s = [];
    public double[] Doubles = [];
    public decimal[] Decimals = [];
    public ReadOnlyMemory<char>[] Texts = [];
    public ReadOnlyMemory<byte>[] Binaries = [];

    /// <summary>Whether row <paramref name="row"/> is NULL.</summary>
    public bool IsNull(int row) => HasNulls && Nulls[row];
}

/// <summary>
/// Rows of one partition handed over as decoded columns rather than records (a cold row group): per row its
/// offset and time, per stream column a <see cref="ColumnVector"/> (null: not read, NULL in every row), and the
/// rows to return in offset order (<see cref="Selection"/>: inside the range asked for and kept by the column
/// predicates). Owned by the reader that filled it and overwritten by its next read; the consumer may change
/// <see cref="TimestampsMs"/> of the rows it admits (a stream whose ROWTIME comes from a column) and narrow the
/// selection to them.
/// </summary>
public sealed class ColumnBatch
{
    /// <summary>Rows held (selected or not).</summary>
    public int RowCount;

    public long[] Offsets = [];

    /// <summary>The records' times in epoch milliseconds; unspecified when the reader was told not to read them
    /// (a stream whose ROWTIME comes from a column: the consumer sets each admitted row's time).</summary>
    public long[] TimestampsMs = [];

    /// <summary>Indexed by the stream's column number.</summary>
    public ColumnVector?[] Columns = [];

    /// <summary>The rows to return, ascending; the first <see cref="SelectedCount"/> are valid.</summary>
    public int[] Selection = [];

    public int SelectedCount;

    /// <summary>
    /// Whether the reader's statistics showed a non-negative value in every row of the admission column it was given
    /// (<see cref="IColumnarPartitionSource.OpenColumnReader"/>) and it did not decode it (its vector is null): every
    /// row is admitted, and its time is unspecified.
    /// </summary>
    public bool EveryRowAdmitted;
}
