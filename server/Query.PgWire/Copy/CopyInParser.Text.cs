using System.Runtime.CompilerServices;

namespace Query.PgWire.Copy;

/// <summary>Text format: tab-separated, backslash escapes, <c>\N</c> null.</summary>
internal sealed partial class CopyInParser
{
    // The COPY loops run once per process in a bulk load: compiled optimized at once (no tier-0 code, no PGO
    // probes, no rejits while the rows stream through).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ParseText(bool final)
    {
        var data = _pending.AsSpan(0, _pendingLength);
        int at = 0;
        while (at < data.Length)
        {
            int newline = data[at..].IndexOf((byte)'\n');
            if (newline < 0 && !final)
                return at;
            int start = at;
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
            FillTextRow(line, start);
            Emit();
        }
        return at;
    }

    /// <summary>Splits <paramref name="line"/> (at <paramref name="start"/> in the pending input) into the fields.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillTextRow(ReadOnlySpan<byte> line, int start)
    {
        int column = 0;
        int fieldUsed = 0;
        while (true)
        {
            int delimiter = line.IndexOf(_delimiter);
            var raw = delimiter < 0 ? line : line[..delimiter];
            if (column >= _oids.Length)
                throw Error(Query.PgWire.PgSqlState.BadCopyFileFormat, "extra data after last expected column");
            if (raw.SequenceEqual(_null))
                SetNullField(column);
            else if (raw.IndexOf((byte)'\\') < 0)
                SetField(column, start, raw.Length, copied: false);
            else
                SetField(column, fieldUsed, Unescape(raw, ref fieldUsed), copied: true);
            column++;
            if (delimiter < 0)
                break;
            line = line[(delimiter + 1)..];
            start += delimiter + 1;
        }
        if (column < _oids.Length)
            throw Error(Query.PgWire.PgSqlState.BadCopyFileFormat, "missing data for column \""
                + _sink.Columns[column].Name + "\"");
    }

    /// <summary>Writes <paramref name="raw"/> unescaped at <paramref name="used"/> in the field buffer; returns its
    /// length and moves <paramref name="used"/> past it.</summary>
    private int Unescape(ReadOnlySpan<byte> raw, ref int used)
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
        return length;
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
}
