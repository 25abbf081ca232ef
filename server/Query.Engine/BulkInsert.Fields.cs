using System.Runtime.CompilerServices;
using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;

namespace Query.Engine;

/// <summary>
/// The allocation-free row API COPY uses: <see cref="BeginRow"/>, one setter per field (fields not set are
/// NULL), <see cref="EndRow"/>. Text fields are parsed from their UTF-8 bytes; STRING and BYTES values are
/// copied straight into the encoded row. Errors carry the row and column as <see cref="AddTextRow"/>'s do. The
/// per-field methods are compiled optimized at once: a COPY calls them millions of times in one go.
/// </summary>
public sealed partial class BulkInsert
{
    private BulkRow Row => _bulkRow;

    /// <summary>Starts a row with every field NULL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeginRow() => Row.Clear();

    public void SetNull(int field) => Row.SetCell(_targets[field], Cell.Null);

    /// <summary>A text-format field (PostgreSQL's input syntax for the column type), as UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetText(int field, ReadOnlySpan<byte> utf8)
    {
        var row = Row;
        var target = _targets[field];
        // The common spellings of the fixed-width types go straight into the row; anything else (other forms,
        // every invalid value) takes ParseCell's general path, which also reports the errors.
        switch (_kinds[field])
        {
            case SqlTypeKind.String:
                SetValidUtf8(field, utf8);
                return;
            case SqlTypeKind.BigInt when Utf8ValueParser.TryParseInt64(utf8, out var int64):
                row.SetBits(target, int64);
                return;
            case SqlTypeKind.Int when Utf8ValueParser.TryParseInt64(utf8, out var int64) && int64 == (int)int64:
                row.SetBits(target, int64);
                return;
            case SqlTypeKind.Timestamp when Utf8ValueParser.TryParseTimestamp(utf8, out var timestampMs):
                row.SetBits(target, timestampMs);
                return;
            case SqlTypeKind.Double when Utf8ValueParser.TryParsePlainDecimal(utf8, out var number):
                row.SetBits(target, BitConverter.DoubleToInt64Bits(number));
                return;
        }
        try
        {
            row.SetCell(target, Utf8ValueParser.ParseCell(utf8, _types[field]));
        }
        catch (SqlException e)
        {
            throw WithContext(e, field);
        }
    }

    /// <summary>A BYTES column's raw bytes, or a STRING column's UTF-8 (rejected unless valid).</summary>
    public void SetBytes(int field, ReadOnlySpan<byte> value)
    {
        switch (_types[field].Kind)
        {
            case SqlTypeKind.Bytes:
                Row.SetBytes(_targets[field], value);
                return;
            case SqlTypeKind.String:
                SetValidUtf8(field, value);
                return;
            default:
                SetValue(field, value.ToArray());
                return;
        }
    }

    /// <summary>An integer for an INT, BIGINT or other numeric column (INT checks its range).</summary>
    public void SetInt64(int field, long value)
    {
        switch (_types[field].Kind)
        {
            case SqlTypeKind.BigInt:
                Row.SetCell(_targets[field], Cell.FromInt64(value));
                return;
            case SqlTypeKind.Int when value is >= int.MinValue and <= int.MaxValue:
                Row.SetCell(_targets[field], Cell.FromInt64(value));
                return;
            default:
                SetValue(field, value);
                return;
        }
    }

    public void SetDouble(int field, double value)
    {
        if (_types[field].Kind == SqlTypeKind.Double)
            Row.SetCell(_targets[field], Cell.FromDouble(value));
        else
            SetValue(field, value);
    }

    public void SetBoolean(int field, bool value)
    {
        if (_types[field].Kind == SqlTypeKind.Boolean)
            Row.SetCell(_targets[field], Cell.FromInt64(value ? 1 : 0));
        else
            SetValue(field, value);
    }

    /// <summary>A TIMESTAMP (or BIGINT) column's value as Unix epoch milliseconds.</summary>
    public void SetTimestampMs(int field, long timestampMs)
    {
        if (_types[field].Kind is SqlTypeKind.Timestamp or SqlTypeKind.BigInt)
            Row.SetCell(_targets[field], Cell.FromInt64(timestampMs));
        else
            SetValue(field, Temporal.ToDateTime(timestampMs));
    }

    /// <summary>Any CLR value, converted as parameters are (boxes: for the types without a typed setter).</summary>
    public void SetValue(int field, object? value)
    {
        var type = _types[field];
        try
        {
            Row.SetCell(_targets[field], Cell.FromObject(ParameterConverter.ToEngineValue(value, type), type));
        }
        catch (SqlException e)
        {
            throw WithContext(e, field);
        }
    }

    /// <summary>Encodes the row and adds it to the pending append.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EndRow() => Row.AppendTo(_appender);

    private void SetValidUtf8(int field, ReadOnlySpan<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
            throw WithContext(new SqlException("22021",
                "invalid byte sequence for encoding \"UTF8\""), field);
        Row.SetBytes(_targets[field], utf8);
    }
}
