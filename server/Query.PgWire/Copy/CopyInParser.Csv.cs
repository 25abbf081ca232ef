using System.Runtime.CompilerServices;

namespace Query.PgWire.Copy;

/// <summary>CSV (RFC 4180 quoting, PostgreSQL's QUOTE / ESCAPE / NULL rules).</summary>
internal sealed partial class CopyInParser
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ParseCsv(bool final)
    {
        var data = _pending.AsSpan(0, _pendingLength);
        int at = 0;
        while (at < data.Length)
        {
            // A record without a quote character is split in the same pass that finds its end.
            int end = -1;
            bool split = _headerDone && SplitPlainCsv(data, at, out end);
            int lines = 0;
            if (!split)
            {
                end = CsvRecordEnd(data, at, out lines);
                if (end < 0)
                {
                    if (!final)
                        return at;
                    end = data.Length;
                }
            }
            int start = at;
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
                if (split)
                    CheckSplitWidth();
                else
                    FillCsvRow(record, start);
                Emit();
            }
            _line += lines;
        }
        return at;
    }

    /// <summary>
    /// Splits the record at <paramref name="at"/> into the fields when it holds no quote character and ends within
    /// <paramref name="data"/>; <paramref name="end"/> is its newline. False (nothing decided) for a record with a
    /// quote, an incomplete one or one with more fields than columns: <see cref="FillCsvRow"/> takes those.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SplitPlainCsv(ReadOnlySpan<byte> data, int at, out int end)
    {
        int column = 0;
        int start = at;
        while (true)
        {
            int hit = data[start..].IndexOfAny(_csvStops);
            if (hit < 0)
                break;
            int stop = start + hit;
            byte b = data[stop];
            if (b != (byte)'\n' && b == _quote)
                break;
            if (column >= _oids.Length)
                break;
            int length = stop - start;
            if (b == (byte)'\n' && length > 0 && data[stop - 1] == (byte)'\r')
                length--;
            if (data.Slice(start, length).SequenceEqual(_null))
                SetNullField(column);
            else
                SetField(column, start, length, copied: false);
            column++;
            if (b == (byte)'\n')
            {
                _splitColumns = column;
                end = stop;
                return true;
            }
            start = stop + 1;
        }
        end = -1;
        return false;
    }

    private void CheckSplitWidth()
    {
        if (_splitColumns < _oids.Length)
            throw Error(Query.PgWire.PgSqlState.BadCopyFileFormat, "missing data for column \""
                + _sink.Columns[_splitColumns].Name + "\"");
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

    /// <summary>Splits <paramref name="record"/> (at <paramref name="start"/> in the pending input) into the
    /// fields, unquoting quoted ones into the field buffer.</summary>
    private void FillCsvRow(ReadOnlySpan<byte> record, int start)
    {
        EnsureField(record.Length);
        int column = 0, used = 0, i = 0;
        while (true)
        {
            int fieldStart = i, copiedStart = used;
            var value = NextCsvField(record, ref i, ref used, out bool wasQuoted);
            if (column >= _oids.Length)
                throw Error(Query.PgWire.PgSqlState.BadCopyFileFormat, "extra data after last expected column");
            if (!wasQuoted && value.SequenceEqual(_null))
                SetNullField(column);
            else if (wasQuoted)
                SetField(column, copiedStart, value.Length, copied: true);
            else
                SetField(column, start + fieldStart, value.Length, copied: false);
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
