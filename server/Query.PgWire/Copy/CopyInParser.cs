using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Query.PgWire.Protocol;
using Query.PgWire.Types;

namespace Query.PgWire.Copy;

/// <summary>
/// Turns COPY FROM STDIN data (text, CSV or binary, arriving in arbitrary CopyData chunks) into rows for an
/// <see cref="IPgCopySink"/>. Incomplete records are carried over to the next chunk. Every error names the record's
/// line (text/CSV) or tuple number (binary) in its CONTEXT, as PostgreSQL does.
/// </summary>
internal sealed partial class CopyInParser : IDisposable
{
    private readonly CopyOptions _options;
    private readonly IPgCopySink _sink;
    private readonly IPgCopyTextSink? _textSink;   // _sink, when it takes text fields without a PgValues copy
    private readonly string _relation;
    private readonly int[] _oids;
    private readonly PgValues _row = new();
    private readonly byte _delimiter;
    private readonly byte[] _null;
    private readonly byte _quote;
    private readonly SearchValues<byte> _csvStops;   // delimiter, quote, newline
    // The current text or CSV record's fields: where each starts in _pending (or, when copied, in _field) and its
    // length (-1: NULL).
    private readonly int[] _fieldStart;
    private readonly int[] _fieldLength;
    private readonly bool[] _fieldCopied;
    private int _splitColumns;
    private byte[] _pending = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _pendingLength;
    private byte[] _field = ArrayPool<byte>.Shared.Rent(1024);
    private long _line;
    private bool _headerDone;
    private bool _ended;

    private readonly int _maxRecordBytes;

    // maxRecordBytes: the largest single row accepted; a longer one is refused (54000), never buffered.
    // parallelism, chunkBytes: see PgServerOptions.CopyParallelism / CopyChunkBytes (1: parse on this thread only).
    public CopyInParser(CopyOptions options, IPgCopySink sink, string relation, int maxRecordBytes,
        int parallelism = 1, int chunkBytes = 1 << 20)
    {
        _parallelism = options.Format == CopyFormat.Binary ? 1 : Math.Max(1, parallelism);
        _chunkBytes = Math.Max(1, chunkBytes);
        _maxRecordBytes = maxRecordBytes;
        _options = options;
        _sink = sink;
        _textSink = sink as IPgCopyTextSink;
        _relation = relation;
        _oids = new int[sink.Columns.Count];
        for (int i = 0; i < _oids.Length; i++)
            _oids[i] = sink.Columns[i].TypeOid;
        _delimiter = (byte)options.EffectiveDelimiter;
        _null = System.Text.Encoding.UTF8.GetBytes(options.EffectiveNull);
        _quote = (byte)options.Quote;
        _csvStops = SearchValues.Create([_delimiter, _quote, (byte)'\n']);
        _fieldStart = new int[_oids.Length];
        _fieldLength = new int[_oids.Length];
        _fieldCopied = new bool[_oids.Length];
        _headerDone = !options.Header && options.Format != CopyFormat.Binary;
    }

    public long Rows { get; private set; }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (_ended)
            return;
        Append(chunk);
        if (_parallelism > 1 && _headerDone)
        {
            // Rows wait for a whole chunk, then are parsed on a worker; what stays is a partial record.
            if (_pendingLength < _chunkBytes)
                return;
            DispatchChunks();
        }
        else
        {
            int consumed = Parse(final: false);
            Compact(consumed);
        }
        if (_pendingLength > _maxRecordBytes)
            throw Error(PgSqlState.ProgramLimitExceeded, $"COPY row exceeds the limit of {_maxRecordBytes} bytes");
    }

    public void Finish()
    {
        CompleteChunks();
        if (_ended)
            return;
        int consumed = Parse(final: true);
        if (_options.Format == CopyFormat.Binary && !_ended)
            throw Error(PgSqlState.BadCopyFileFormat, "unexpected EOF in COPY data (missing file trailer)");
        if (consumed < _pendingLength && _options.Format != CopyFormat.Binary)
            throw Error(PgSqlState.BadCopyFileFormat, "incomplete record at end of COPY data");
    }

    private int Parse(bool final) => _options.Format switch
    {
        CopyFormat.Binary => ParseBinary(),
        CopyFormat.Csv => ParseCsv(final),
        _ => ParseText(final),
    };

    private void Append(ReadOnlySpan<byte> chunk)
    {
        if (_pending.Length - _pendingLength < chunk.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_pending.Length * 2, _pendingLength + chunk.Length));
            _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = bigger;
        }
        chunk.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += chunk.Length;
    }

    private void Compact(int consumed)
    {
        if (consumed == 0)
            return;
        _pending.AsSpan(consumed, _pendingLength - consumed).CopyTo(_pending);
        _pendingLength -= consumed;
    }

    private void SetField(int column, int start, int length, bool copied)
    {
        _fieldStart[column] = start;
        _fieldLength[column] = length;
        _fieldCopied[column] = copied;
    }

    private void SetNullField(int column) => _fieldLength[column] = -1;

    private ReadOnlySpan<byte> Field(int column) => (_fieldCopied[column] ? _field : _pending)
        .AsSpan(_fieldStart[column], _fieldLength[column]);

    /// <summary>Hands the split text or CSV record to the sink, adding the line to any error it raises.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Emit()
    {
        try
        {
            if (_textSink is { } sink)
            {
                sink.BeginTextRow();
                for (int i = 0; i < _fieldLength.Length; i++)
                {
                    if (_fieldLength[i] >= 0)
                        sink.SetTextField(i, Field(i));
                }
                sink.EndTextRow();
            }
            else
            {
                _row.Reset(_oids.Length);
                for (int i = 0; i < _fieldLength.Length; i++)
                {
                    bool isNull = _fieldLength[i] < 0;
                    _row.Set(i, isNull ? default : Field(i), isNull, binary: false, _oids[i]);
                }
                _sink.Append(_row);
            }
        }
        catch (PgException ex)
        {
            throw WithContext(ex);
        }
        Rows++;
    }

    /// <summary>Hands the filled binary row to the sink, adding the tuple number to any error it raises.</summary>
    private void EmitValues()
    {
        try
        {
            _sink.Append(_row);
        }
        catch (PgException ex)
        {
            throw WithContext(ex);
        }
        Rows++;
    }

    private PgException WithContext(PgException ex) =>
        new(ex.SqlState, ex.Message, ex.Detail, ex.Hint) { Where = Context() };

    private string Context() => _options.Format == CopyFormat.Binary
        ? $"COPY {_relation}, tuple {_line}"
        : $"COPY {_relation}, line {_line}";

    private PgException Error(string sqlState, string message) => new(sqlState, message) { Where = Context() };

    private int ParseBinary()
    {
        var data = _pending.AsSpan(0, _pendingLength);
        int at = 0;
        if (!_headerDone)
        {
            if (data.Length < 19)
                return 0;
            if (!data[..11].SequenceEqual(Signature))
                throw Error(PgSqlState.BadCopyFileFormat, "COPY file signature not recognized");
            int extension = BinaryPrimitives.ReadInt32BigEndian(data[15..]);
            if (extension < 0 || data.Length < 19 + extension)
                return extension < 0 ? throw Error(PgSqlState.BadCopyFileFormat, "invalid COPY file header") : 0;
            at = 19 + extension;
            _headerDone = true;
        }
        while (at + 2 <= data.Length)
        {
            short count = BinaryPrimitives.ReadInt16BigEndian(data[at..]);
            if (count == -1)
            {
                _ended = true;
                return data.Length;
            }
            _line++;
            if (count != _oids.Length)
                throw Error(PgSqlState.BadCopyFileFormat, $"row field count is {count}, expected {_oids.Length}");
            int end = TupleEnd(data, at + 2, count);
            if (end < 0)
            {
                _line--;
                return at;
            }
            FillBinaryRow(data, at + 2, count);
            EmitValues();
            at = end;
        }
        return at;
    }

    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y',
        (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private int TupleEnd(ReadOnlySpan<byte> data, int at, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (at + 4 > data.Length)
                return -1;
            int length = BinaryPrimitives.ReadInt32BigEndian(data[at..]);
            if (length < -1 || length > _maxRecordBytes)
                throw Error(PgSqlState.BadCopyFileFormat, $"invalid field size {length}");
            at += 4 + Math.Max(length, 0);   // both bounded by the record limit: no overflow
            if (at > data.Length)
                return -1;
        }
        return at;
    }

    private void FillBinaryRow(ReadOnlySpan<byte> data, int at, int count)
    {
        _row.Reset(count);
        for (int i = 0; i < count; i++)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(data[at..]);
            at += 4;
            _row.Set(i, length < 0 ? default : data.Slice(at, length), length < 0, binary: true, _oids[i]);
            at += Math.Max(length, 0);
        }
    }

    public void Dispose()
    {
        AbandonChunks();
        ArrayPool<byte>.Shared.Return(_pending);
        ArrayPool<byte>.Shared.Return(_field);
        _pending = [];
        _field = [];
    }
}
