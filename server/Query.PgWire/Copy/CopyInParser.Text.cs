namespace Query.PgWire.Copy;

/// <summary>Text format (tab-separated, backslash escapes, <c>\N</c> null) and CSV (RFC 4180 quoting).</summary>
internal sealed partial class CopyInParser
{
    private int ParseText(bool final)
    {
        var data = _pending.AsSpan(0, _pendingLength);
        int at = 0;
        while (at < data.Length)
        {
            int newline = data[at..].IndexOf((byte)'\n');
            if (newline < 0 && !final)
                return at;
            int end = newline < 0 ? data.Length : at + newline;
            var line = data[at..end];
            at = newline < 0 ? data.Length : end + 1;
            if (line.Length > 0 && line[^1] == (byte)'\r')
                line = line[..^1];
            _line++;
            if (line.SequenceEqual("\\."u8))
            {
                _ended = true;
                return data.Length;
            }
            if (!_headerDone)
            {
                _headerDone = true;
                continue;
            }
            FillTextRow(line);
            Emit();
        }
        return at;
    }

    private void FillTextRow(ReadOnlySpan<byte> line)
    {
        _row.Reset(_oids.Length);
        int column = 0;
        int fieldUsed = 0;
        while (true)
        {
            int delimiter = line.IndexOf(_delimiter);
            var raw = delimiter < 0 ? line : line[..delimiter];
            if (column >= _oids.Length)
                throw Error(Query.PgWire.PgSqlState.BadCopyFileFormat, "extra data after last expected column");
            if (raw.SequenceEqual(_null))
                _row.Set(column, default, isNull: true, binary: false, _oids[column]);
            else if (raw.IndexOf((byte)'\\') < 0)
                _row.Set(column, raw, isNull: false, binary: false, _oids[column]);
            else
                _row.Set(column, Unescape(raw, ref fieldUsed), isNull: false, binary: false, _oids[column]);
            column++;
            if (delimiter < 0)
                break;
            line = line[(delimiter + 1)..];
        }
        if (column < _oids.Length)
            throw Error(Query.PgWire.PgSqlState.BadCopyFileFormat, "missing data for column \""
                + _sink.Columns[column].Name + "\"");
    }

    private ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> raw, ref int used)
    {
        EnsureField(used + raw.Length);
        var output = _field.AsSpan(used);
        int length = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b != (byte)'\\' || i + 1 >= raw.Length)
            {
                output[length++] = b;
                continue;
            }
            byte next = raw[++i];
            output[length++] = next switch
            {
                (byte)'b' => 8,
                (byte)'f' => 12,
                (byte)'n' => (byte)'\n',
                (byte)'r' => (byte)'\r',
                (byte)'t' => (byte)'\t',
                (byte)'v' => 11,
                >= (byte)'0' and <= (byte)'7' => ReadOctal(raw, ref i),
                (byte)'x' when i + 1 < raw.Length && Uri.IsHexDigit((char)raw[i + 1]) => ReadHex(raw, ref i),
                _ => next,
            };
        }
        used += length;
        return output[..length];
    }

    private static byte ReadOctal(ReadOnlySpan<byte> raw, ref int i)
    {
        int value = raw[i] - '0';
        for (int n = 0; n < 2 && i + 1 < raw.Length && raw[i + 1] is >= (byte)'0' and <= (byte)'7'; n++)
            value = value * 8 + (raw[++i] - '0');
        return (byte)value;
    }

    private static byte ReadHex(ReadOnlySpan<byte> raw, ref int i)
    {
        int value = 0;
        for (int n = 0; n < 2 && i + 1 < raw.Length && Uri.IsHexDigit((char)raw[i + 1]); n++)
            value = value * 16 + Convert.ToInt32(((char)raw[++i]).ToString(), 16);
        return (byte)value;
    }

    private void EnsureField(int size)
    {
        if (_field.Length >= size)
            return;
        // Earlier fields of this row point into _field, so grow by copying them along.
        var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(size, _field.Length * 2));
        _field.CopyTo(bigger, 0);
        System.Buffers.ArrayPool<byte>.Shared.Return(_field);
        _field = bigger;
    }

    private int ParseCsv(bool final)
    {
        var data = _pending.AsSpan(0, _pendingLength);
        int at = 0;
        while (at < data.Length)
        {
            int end = CsvRecordEnd(data, at, out int lines);
            if (end < 0)
            {
                if (!final)
                    return at;
                end = data.Length;
            }
            var record = data[at..end];
            at = Math.Min(end + 1, data.Length);
            if (end == data.Length && !final)
                return at;
            if (record.Length > 0 && record[^1] == (byte)'\r')
                record = record[..^1];
            _line++;
            if (record.SequenceEqual("\\."u8))
            {
                _ended = true;
                return data.Length;
            }
            if (!_headerDone)
            {
                _headerDone = true;
            }
            else
            {
                FillCsvRow(record);
                Emit();
            }
            _line += lines;
        }
        return at;
    }

    /// <summary>
    /// Index of the newline ending the record at <paramref name="at"/> (quotes may span lines), or -1.
    /// </summary>
    private int CsvRecordEnd(ReadOnlySpan<byte> data, int at, out int extraLines)
    {
        bool quoted = false;
        extraLines = 0;
        byte quote = (byte)_options.Quote;
        int i = at;
        while (true)
        {
            int next = data[i..].IndexOfAny(quote, (byte)'\n');
            if (next < 0)
                return -1;
            i += next;
            if (data[i] == quote)
                quoted = !quoted;
            else if (!quoted)
                return i;
            else
                extraLines++;
            i++;
        }
    }

    private void FillCsvRow(ReadOnlySpan<byte> record)
    {
        _row.Reset(_oids.Length);
        EnsureField(record.Length);
        int column = 0, used = 0, i = 0;
        while (true)
        {
            var value = NextCsvField(record, ref i, ref used, out bool wasQuoted);
            if (column >= _oids.Length)
                throw Error(Query.PgWire.PgSqlState.BadCopyFileFormat, "extra data after last expected column");
            bool isNull = !wasQuoted && value.SequenceEqual(_null);
            _row.Set(column, value, isNull, binary: false, _oids[column]);
            column++;
            if (i >= record.Length)
                break;
            i++;   // past the delimiter
        }
        if (column < _oids.Length)
            throw Error(Query.PgWire.PgSqlState.BadCopyFileFormat, "missing data for column \""
                + _sink.Columns[column].Name + "\"");
    }

    /// <summary>
    /// The field at <paramref name="i"/>, leaving <paramref name="i"/> on the delimiter or the end. A field with no
    /// quote character is a slice of the record; only quoted ones are copied (unquoted) into the field buffer.
    /// </summary>
    private ReadOnlySpan<byte> NextCsvField(ReadOnlySpan<byte> record, ref int i, ref int used, out bool wasQuoted)
    {
        int stop = record[i..].IndexOfAny(_delimiter, (byte)_options.Quote);
        if (stop < 0 || record[i + stop] == _delimiter)
        {
            wasQuoted = false;
            var plain = record.Slice(i, stop < 0 ? record.Length - i : stop);
            i += plain.Length;
            return plain;
        }
        return UnquoteCsvField(record, ref i, ref used, out wasQuoted);
    }

    private ReadOnlySpan<byte> UnquoteCsvField(ReadOnlySpan<byte> record, ref int i, ref int used,
        out bool wasQuoted)
    {
        byte quote = (byte)_options.Quote;
        byte escape = (byte)_options.EffectiveEscape;
        int start = used;
        bool inQuotes = false;
        wasQuoted = false;
        for (; i < record.Length; i++)
        {
            byte b = record[i];
            if (inQuotes)
            {
                if (b == escape && i + 1 < record.Length && record[i + 1] == quote)
                {
                    _field[used++] = quote;
                    i++;
                }
                else if (b == quote)
                    inQuotes = false;
                else
                    _field[used++] = b;
            }
            else if (b == quote)
                inQuotes = wasQuoted = true;
            else if (b == _delimiter)
                break;
            else
                _field[used++] = b;
        }
        if (inQuotes)
            throw Error(Query.PgWire.PgSqlState.BadCopyFileFormat, "unterminated CSV quoted field");
        return _field.AsSpan(start, used - start);
    }
}
