using System.Text;
using Query.Engine.Types;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

// The cursor positioned on a row of a column batch (the cold tier's row groups): each column is read from its
// vector at the row, nothing is decoded. A column the batch did not read is NULL, as in a projected record.
public sealed partial class RecordCursor
{
    private byte[]? _lastUtf8;
    private string? _lastUtf8Text;

    /// <summary>The stream's column types, by column number.</summary>
    internal SqlType[] Types => _types;

    /// <summary>
    /// Points the cursor at row <paramref name="row"/> of <paramref name="batch"/> (a stream in the engine's binary
    /// row format). With <paramref name="admit"/> it is the row's first load: the timestamp column is applied and a
    /// row without a row time is refused and counted, as for a record.
    /// </summary>
    public bool PositionColumns(ColumnBatch batch, int row, long timestampMs, int partition, bool admit)
    {
        _vectors = batch.Columns;
        _vectorRow = row;
        Offset = batch.Offsets[row];
        TimestampMs = timestampMs;
        Partition = partition;
        return !admit || ApplyTimestampColumn();
    }

    private ColumnVector? Vector(int column, out int row)
    {
        row = _vectorRow;
        var vectors = _vectors!;
        var vector = (uint)column < (uint)vectors.Length ? vectors[column] : null;
        return vector is null || vector.IsNull(row) ? null : vector;
    }

    private bool TryGetVectorBoolean(int column, out bool value)
    {
        var vector = Vector(column, out var row);
        value = vector is not null && vector.Booleans[row];
        return vector is not null;
    }

    private bool TryGetVectorInt32(int column, out int value)
    {
        var vector = Vector(column, out var row);
        value = vector is null ? 0 : vector.Int32s[row];
        return vector is not null;
    }

    // TIMESTAMP and BIGINT; a DOUBLE's bits (cells keep DOUBLE as its bits).
    private bool TryGetVectorInt64(int column, out long value)
    {
        var vector = Vector(column, out var row);
        value = vector is null ? 0
            : vector.Kind switch
            {
                ColumnVectorKind.Int64 => vector.Int64s[row],
                ColumnVectorKind.Double => BitConverter.DoubleToInt64Bits(vector.Doubles[row]),
                _ => vector.Int32s[row],
            };
        return vector is not null;
    }

    private bool TryGetVectorDouble(int column, out double value)
    {
        var vector = Vector(column, out var row);
        value = vector is null ? 0 : vector.Doubles[row];
        return vector is not null;
    }

    private bool TryGetVectorDecimal(int column, out decimal value)
    {
        var vector = Vector(column, out var row);
        value = vector is null ? 0m : vector.Decimals[row];
        return vector is not null;
    }

    private bool TryGetVectorString(int column, out string value)
    {
        var vector = Vector(column, out var row);
        value = vector is null ? null! : vector.Texts[row].ToString();
        return vector is not null;
    }

    private bool TryGetVectorUtf8Equals(int column, byte[] expected, out bool equal)
    {
        var vector = Vector(column, out var row);
        if (vector is null)
        {
            equal = false;
            return false;
        }
        // The constant arrives as UTF-8 and the vector holds UTF-16: decode the constant once per constant.
        if (!ReferenceEquals(expected, _lastUtf8))
        {
            _lastUtf8Text = Encoding.UTF8.GetString(expected);
            _lastUtf8 = expected;
        }
        equal = vector.Texts[row].Span.SequenceEqual(_lastUtf8Text);
        return true;
    }

    // BYTES (a fresh array, as a binary row gives); nested columns are never read as vectors.
    private bool TryGetVectorObject<T>(int column, out T value) where T : class
    {
        var vector = Vector(column, out var row);
        value = (vector is { Kind: ColumnVectorKind.Binary } ? vector.Binaries[row].ToArray() as T : null)!;
        return value is not null;
    }
}
