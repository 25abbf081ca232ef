namespace Query.PgWire.Types;

/// <summary>Value framing, arrays, and the boxed convenience path.</summary>
public sealed partial class PgRowWriter
{
    /// <summary>
    /// Starts a 1-D array value in the current column; element writes follow, then <see cref="EndArray"/>.
    /// </summary>
    public void BeginArray(int length)
    {
        CheckColumn();
        if (_inArray)
            throw new InvalidOperationException("nested arrays are not supported");
        _arrayElementOid = PgTypeTable.ElementOf(_oids[_column]);
        if (_arrayElementOid == 0)
            _arrayElementOid = PgTypeOid.Text;
        _arrayStart = _output.Reserve(4);
        if (IsBinary)
        {
            _output.WriteInt32(length == 0 ? 0 : 1);
            _arrayFlagsAt = _output.Reserve(4);
            _output.PatchInt32(_arrayFlagsAt, 0);
            _output.WriteInt32(_arrayElementOid);
            if (length > 0)
            {
                _output.WriteInt32(length);
                _output.WriteInt32(1);
            }
        }
        else
        {
            _output.WriteByte((byte)'{');
        }
        _arrayCount = 0;
        _inArray = true;
    }

    public void EndArray()
    {
        if (!_inArray)
            throw new InvalidOperationException("EndArray without BeginArray");
        if (!IsBinary)
            _output.WriteByte((byte)'}');
        _output.PatchInt32(_arrayStart, _output.Length - _arrayStart - 4);
        _inArray = false;
        _column++;
    }

    /// <summary>
    /// Writes a boxed value by its runtime type (catalog answers, adapters that hold objects). Hot paths use the
    /// typed writes instead.
    /// </summary>
    public void WriteValue(object? value)
    {
        switch (value)
        {
            case null: WriteNull(); break;
            case bool b: WriteBool(b); break;
            case short s: WriteInt16(s); break;
            case int i: WriteInt32(i); break;
            case long l: WriteInt64(l); break;
            case uint u: WriteInt64(u); break;
            case float f: WriteFloat4(f); break;
            case double d: WriteFloat8(d); break;
            case decimal m: WriteNumeric(m); break;
            case string s: WriteText(s); break;
            case char c: WriteText([c]); break;
            case byte[] bytes: WriteBytes(bytes); break;
            case Guid g: WriteUuid(g); break;
            case DateTime t: WriteTimestamp(PgTime.ToUnixMicros(t)); break;
            case DateTimeOffset t: WriteTimestamp(PgTime.ToUnixMicros(t.UtcDateTime)); break;
            case DateOnly d: WriteDate(d.DayNumber - 719_162); break;
            case TimeOnly t: WriteTime(t.Ticks / 10); break;
            case TimeSpan t: WriteInterval(t.Ticks / 10, 0, 0); break;
            case System.Collections.IList list: WriteList(list); break;
            default: WriteText(value.ToString()); break;
        }
    }

    private void WriteList(System.Collections.IList list)
    {
        BeginArray(list.Count);
        foreach (var item in list)
            WriteValue(item);
        EndArray();
    }

    private void Start()
    {
        if (_inArray)
        {
            _arrayCount++;
            if (IsBinary)
                _valueStart = _output.Reserve(4);
            else
                _valueStart = WriteArraySeparator();
            return;
        }
        CheckColumn();
        _valueStart = _output.Reserve(4);
    }

    private void End()
    {
        if (_inArray)
        {
            if (IsBinary)
                _output.PatchInt32(_valueStart, _output.Length - _valueStart - 4);
            else
                QuoteArrayElement(_valueStart);
            return;
        }
        _output.PatchInt32(_valueStart, _output.Length - _valueStart - 4);
        _column++;
    }

    private int WriteArraySeparator()
    {
        if (_arrayCount > 1)
            _output.WriteByte((byte)',');
        return _output.Length;
    }

    /// <summary>Quotes a text array element in place when PostgreSQL would (empty, NULL, special characters).</summary>
    private void QuoteArrayElement(int start)
    {
        int length = _output.Length - start;
        var element = _output.Slice(start, length);
        if (!NeedsQuotes(element))
            return;
        int escapes = 0;
        foreach (var b in element)
        {
            if (b is (byte)'"' or (byte)'\\')
                escapes++;
        }
        _output.Reserve(2 + escapes);
        var all = _output.Slice(start, length + 2 + escapes);
        int write = all.Length - 1;
        all[write--] = (byte)'"';
        for (int read = length - 1; read >= 0; read--)
        {
            byte b = all[read];
            all[write--] = b;
            if (b is (byte)'"' or (byte)'\\')
                all[write--] = (byte)'\\';
        }
        all[0] = (byte)'"';
    }

    private static bool NeedsQuotes(ReadOnlySpan<byte> element)
    {
        if (element.IsEmpty || (element.Length == 4 && (element[0] | 0x20) == 'n' && (element[1] | 0x20) == 'u' &&
            (element[2] | 0x20) == 'l' && (element[3] | 0x20) == 'l'))
            return true;
        foreach (var b in element)
        {
            if (b is (byte)'{' or (byte)'}' or (byte)',' or (byte)'"' or (byte)'\\' or (byte)' ' or (byte)'\t' or
                (byte)'\n' or (byte)'\r')
                return true;
        }
        return false;
    }
}
