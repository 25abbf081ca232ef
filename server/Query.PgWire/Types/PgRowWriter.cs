using System.Globalization;
using Query.PgWire.Framing;

namespace Query.PgWire.Types;

/// <summary>
/// Encodes DataRow messages straight into the connection's output buffer, choosing text or binary per column as
/// the client asked. A row is <see cref="BeginRow"/>, one Write per column in order, <see cref="EndRow"/>. The
/// column's type OID decides the wire encoding; typed writes convert where PostgreSQL would (an int64 into an
/// int4 column, an integer into numeric). Arrays: <see cref="BeginArray"/>, one write per element, <see
/// cref="EndArray"/>.
/// Nothing here allocates per row.
/// </summary>
public sealed partial class PgRowWriter
{
    private const int FlushBytes = 64 * 1024;
    private readonly PgOutputBuffer _output;
    private int[] _oids = [];
    private bool[] _binary = [];
    private int _column;
    private int _valueStart;
    private bool _inArray;
    private int _arrayStart;
    private int _arrayCount;
    private int _arrayFlagsAt;
    private int _arrayElementOid;

    public PgRowWriter(PgOutputBuffer output) => _output = output;

    /// <summary>Session time zone for text-format timestamptz (default UTC).</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>
    /// True once enough bytes are buffered that the caller should return and let the connection flush.
    /// </summary>
    public bool ShouldFlush => _output.Length >= FlushBytes;

    /// <summary>Rows completed since the last <see cref="Configure"/>.</summary>
    public long RowsWritten { get; private set; }

    public int ColumnCount => _oids.Length;

    /// <summary>
    /// Sets the shape of the rows that follow: one type OID and one format (binary or text) per column.
    /// </summary>
    public void Configure(int[] typeOids, bool[] binary)
    {
        _oids = typeOids;
        _binary = binary;
        RowsWritten = 0;
    }

    public void BeginRow()
    {
        _output.BeginMessage((byte)'D');
        _output.WriteInt16((short)_oids.Length);
        _column = 0;
        _inArray = false;
    }

    public void EndRow()
    {
        if (_column != _oids.Length || _inArray)
            throw new InvalidOperationException($"row has {_column} of {_oids.Length} values");
        _output.EndMessage();
        RowsWritten++;
    }

    public void WriteNull()
    {
        if (_inArray)
        {
            _arrayCount++;
            if (_binary[_column])
            {
                _output.WriteInt32(-1);
                _output.PatchInt32(_arrayFlagsAt, 1);
            }
            else
            {
                WriteArraySeparator();
                _output.WriteUtf8("NULL");
            }
            return;
        }
        CheckColumn();
        _output.WriteInt32(-1);
        _column++;
    }

    public void WriteBool(bool value)
    {
        Start();
        if (IsBinary)
            _output.WriteByte(value ? (byte)1 : (byte)0);
        else
            _output.WriteByte(value ? (byte)'t' : (byte)'f');
        End();
    }

    public void WriteInt16(short value) => WriteInt64(value);

    public void WriteInt32(int value) => WriteInt64(value);

    public void WriteInt64(long value)
    {
        Start();
        int oid = CurrentOid;
        if (!IsBinary)
            WriteFormatted(value);
        else if (oid == PgTypeOid.Int8)
            _output.WriteInt64(value);
        else if (oid is PgTypeOid.Int4 or PgTypeOid.Oid)
            _output.WriteInt32(checked((int)value));
        else if (oid == PgTypeOid.Int2)
            _output.WriteInt16(checked((short)value));
        else if (oid is PgTypeOid.Float8 or PgTypeOid.Float4 or PgTypeOid.Numeric)
            WriteNumberBinary(oid, value);
        else
            WriteTextBody(value);
        End();
    }

    public void WriteFloat4(float value) => WriteFloat8(value, isFloat4: true);

    public void WriteFloat8(double value) => WriteFloat8(value, isFloat4: false);

    /// <summary>A numeric of up to 38 digits as its unscaled value and scale (DECIMAL above 28 digits).</summary>
    public void WriteNumeric(Int128 unscaled, int scale)
    {
        Start();
        int oid = CurrentOid;
        if (IsBinary && oid == PgTypeOid.Numeric)
            PgNumeric.WriteBinary(_output, unscaled, scale);
        else if (IsBinary && oid == PgTypeOid.Float8)
            _output.WriteInt64(BitConverter.DoubleToInt64Bits(double.Parse(NumericText(unscaled, scale),
                CultureInfo.InvariantCulture)));
        else
            _output.WriteUtf8(NumericText(unscaled, scale));
        End();
    }

    private static string NumericText(Int128 unscaled, int scale)
    {
        string digits = (unscaled < 0 ? -unscaled : unscaled).ToString(CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            digits = digits.PadLeft(scale + 1, '0');
            digits = string.Concat(digits.AsSpan(0, digits.Length - scale), ".", digits.AsSpan(digits.Length - scale));
        }
        return unscaled < 0 ? "-" + digits : digits;
    }

    public void WriteNumeric(decimal value)
    {
        Start();
        int oid = CurrentOid;
        if (!IsBinary)
            WriteFormatted(value);
        else if (oid == PgTypeOid.Numeric)
            PgNumeric.WriteBinary(_output, value);
        else if (oid == PgTypeOid.Float8)
            _output.WriteInt64(BitConverter.DoubleToInt64Bits((double)value));
        else if (oid == PgTypeOid.Float4)
            _output.WriteInt32(BitConverter.SingleToInt32Bits((float)value));
        else
            WriteTextBody(value);
        End();
    }

    /// <summary>
    /// text, varchar, json, jsonb (maps and structs travel as json text) or any column in text format.
    /// </summary>
    public void WriteText(ReadOnlySpan<char> value)
    {
        CheckTextual();
        Start();
        if (IsBinary && CurrentOid == PgTypeOid.Jsonb)
            _output.WriteByte(1);
        _output.WriteUtf8(value);
        End();
    }

    /// <summary>Already UTF-8 encoded text (zero-copy from storage).</summary>
    public void WriteUtf8(ReadOnlySpan<byte> value)
    {
        CheckTextual();
        Start();
        if (IsBinary && CurrentOid == PgTypeOid.Jsonb)
            _output.WriteByte(1);
        _output.WriteBytes(value);
        End();
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Start();
        if (IsBinary)
        {
            _output.WriteBytes(value);
        }
        else
        {
            var span = _output.GetSpan(2 + value.Length * 2);
            span[0] = (byte)'\\';
            span[1] = (byte)'x';
            Convert.TryToHexStringLower(value, span[2..], out int written);
            _output.Advance(2 + written);
        }
        End();
    }

    /// <summary>timestamp or timestamptz, as microseconds since the Unix epoch (UTC for timestamptz).</summary>
    public void WriteTimestamp(long unixMicros)
    {
        Start();
        if (IsBinary)
            _output.WriteInt64(PgTime.UnixMicrosToPostgres(unixMicros));
        else
            PgTime.WriteTimestampText(_output, unixMicros, CurrentOid == PgTypeOid.TimestampTz ? TimeZone : null);
        End();
    }

    /// <summary>date, as days since 1970-01-01.</summary>
    public void WriteDate(int unixDays)
    {
        Start();
        if (IsBinary)
            _output.WriteInt32(PgTime.UnixDaysToPostgres(unixDays));
        else
            PgTime.WriteDateText(_output, unixDays);
        End();
    }

    /// <summary>time of day, as microseconds since midnight.</summary>
    public void WriteTime(long micros)
    {
        Start();
        if (IsBinary)
            _output.WriteInt64(micros);
        else
            PgTime.WriteTimeText(_output, micros);
        End();
    }

    public void WriteInterval(long micros, int days, int months)
    {
        Start();
        if (IsBinary)
        {
            _output.WriteInt64(micros);
            _output.WriteInt32(days);
            _output.WriteInt32(months);
        }
        else
        {
            _output.WriteUtf8(PgTime.FormatInterval(micros, days, months));
        }
        End();
    }

    public void WriteUuid(Guid value)
    {
        Start();
        var span = _output.GetSpan(36);
        if (IsBinary)
        {
            value.TryWriteBytes(span, bigEndian: true, out _);
            _output.Advance(16);
        }
        else
        {
            value.TryFormat(span, out int written, "D");
            _output.Advance(written);
        }
        End();
    }

    private bool IsBinary => _binary[_column];

    private int CurrentOid => _inArray ? _arrayElementOid : _oids[_column];

    private void WriteFloat8(double value, bool isFloat4)
    {
        Start();
        int oid = CurrentOid;
        if (!IsBinary)
        {
            var span = _output.GetSpan(32);
            int written;
            if (isFloat4 || oid == PgTypeOid.Float4)
                ((float)value).TryFormat(span, out written, "R", CultureInfo.InvariantCulture);
            else
                value.TryFormat(span, out written, "R", CultureInfo.InvariantCulture);
            LowerExponent(span[..written]);
            _output.Advance(written);
        }
        else if (oid == PgTypeOid.Float4)
        {
            _output.WriteInt32(BitConverter.SingleToInt32Bits((float)value));
        }
        else if (oid == PgTypeOid.Numeric)
        {
            PgNumeric.WriteBinary(_output, (decimal)value);
        }
        else
        {
            _output.WriteInt64(BitConverter.DoubleToInt64Bits(value));
        }
        End();
    }

    private void WriteNumberBinary(int oid, long value)
    {
        if (oid == PgTypeOid.Float8)
            _output.WriteInt64(BitConverter.DoubleToInt64Bits(value));
        else if (oid == PgTypeOid.Float4)
            _output.WriteInt32(BitConverter.SingleToInt32Bits(value));
        else
            PgNumeric.WriteBinary(_output, value);
    }

    private void WriteFormatted<T>(T value) where T : IUtf8SpanFormattable
    {
        var span = _output.GetSpan(64);
        value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
    }

    /// <summary>A value whose column is a string type in binary format (text bytes are its binary form too).</summary>
    private void WriteTextBody<T>(T value) where T : IUtf8SpanFormattable
    {
        if (CurrentOid == PgTypeOid.Jsonb)
            _output.WriteByte(1);
        WriteFormatted(value);
    }

    private static void LowerExponent(Span<byte> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)'E')
                text[i] = (byte)'e';
        }
    }

    /// <summary>Text bytes are a valid binary value only for string-like types; otherwise the row is corrupt.</summary>
    private void CheckTextual()
    {
        CheckColumn();
        if (_binary[_column] && !PgValues.IsTextual(CurrentOid) && CurrentOid != PgTypeOid.Void)
            throw new InvalidOperationException(
                $"column {_column} is {PgTypeTable.Get(CurrentOid).Name} in binary format; use its typed Write method");
    }

    private void CheckColumn()
    {
        if (_column >= _oids.Length)
            throw new InvalidOperationException($"row has more than {_oids.Length} values");
    }
}
