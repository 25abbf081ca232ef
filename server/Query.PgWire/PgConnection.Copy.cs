using Query.PgWire.Copy;
using Query.PgWire.Framing;
using Query.PgWire.Protocol;
using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>
/// COPY sub-protocol. COPY FROM STDIN feeds CopyData into a <see cref="CopyInParser"/> and commits the session's
/// sink only at CopyDone (all or nothing). COPY TO STDOUT runs the query like any portal, but rows are encoded into a
/// scratch buffer and re-framed as one CopyData per row, so push queries stream through COPY too.
/// </summary>
internal sealed partial class PgConnection
{
    private PgOutputBuffer? _copyScratch;
    private PgRowWriter? _copyWriter;
    private bool _binaryHeaderPending;

    /// <summary>The binary COPY header: signature, flags, header extension length.</summary>
    private static ReadOnlySpan<byte> BinaryCopyHeader => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P',
        (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private async ValueTask CopyInAsync(UtilityCommand command)
    {
        await using var sink = _session!.OpenCopyIn(command.Name!, command.Columns);
        var options = command.Copy!;
        WriteCopyResponse((byte)'G', options, sink.Columns.Count);
        await FlushAsync();
        using var parser = new CopyInParser(options, sink, command.Name!, _options.MaxMessageBytes,
            _options.CopyParallelism, _options.CopyChunkBytes);
        Action<ReadOnlySpan<byte>> feed = parser.Feed;
        while (true)
        {
            int type = await _input.ReadCopyDataAsync(feed, _lifetime.Token);
            switch (type)
            {
                case < 0:
                    throw new IOException("client closed the connection during COPY");
                case 'c':
                    parser.Finish();
                    long rows = await sink.CommitAsync(_lifetime.Token);
                    PgMessages.WriteCommandComplete(_out, $"COPY {rows}");
                    return;
                case 'f':
                    throw new PgException(PgSqlState.QueryCanceled,
                        "COPY from stdin failed: " + PgMessages.ReadCString(_input.Body, 0, out _));
                case 'H' or 'S':
                    break;
                default:
                    throw new PgException(PgSqlState.ProtocolViolation,
                        $"unexpected message type 0x{type:X2} during COPY from stdin");
            }
        }
    }

    private void WriteCopyResponse(byte type, CopyOptions options, int columns)
    {
        bool binary = options.Format == CopyFormat.Binary;
        _out.BeginMessage(type);
        _out.WriteByte(binary ? (byte)1 : (byte)0);
        _out.WriteInt16((short)columns);
        for (int i = 0; i < columns; i++)
            _out.WriteInt16(binary ? (short)1 : (short)0);
        _out.EndMessage();
    }

    private async ValueTask CopyOutAsync(UtilityCommand command)
    {
        var statement = Prepare(command.Query!, []);
        if (statement.Columns is null || statement.Utility is not null)
            throw PgException.FeatureNotSupported("COPY of a statement that returns no rows");
        var options = command.Copy!;
        var binary = new bool[statement.Columns.Length];
        Array.Fill(binary, options.Format == CopyFormat.Binary);
        var portal = new Portal("", statement, PgValues.Empty, binary);
        try
        {
            await StartAsync(portal);
            WriteCopyResponse((byte)'H', options, binary.Length);
            WriteCopyHeader(options, statement.Columns);
            _copyScratch ??= new PgOutputBuffer();
            _copyWriter ??= new PgRowWriter(_copyScratch);
            _copyWriter.TimeZone = _rows.TimeZone;
            _copyWriter.Configure(portal.ColumnOids, binary);
            await PumpAsync(portal, _copyWriter, 0, options);
            if (options.Format == CopyFormat.Binary)
                WriteCopyData([0xFF, 0xFF]);
            _out.WriteBytes(PgMessages.CopyDone);
            PgMessages.WriteCommandComplete(_out, $"COPY {portal.RowsSent}");
        }
        finally
        {
            _active = null;   // when the copy header failed before PumpAsync ran (it clears it otherwise)
            await portal.DisposeResultAsync();
        }
    }

    private void WriteCopyHeader(CopyOptions options, PgColumn[] columns)
    {
        // As PostgreSQL does, the binary header travels in the first row's CopyData (Npgsql's exporter relies on it).
        _binaryHeaderPending = options.Format == CopyFormat.Binary;
        if (options.Header && options.Format != CopyFormat.Binary)
        {
            _out.BeginMessage((byte)'d');
            for (int i = 0; i < columns.Length; i++)
            {
                if (i > 0)
                    _out.WriteByte((byte)options.EffectiveDelimiter);
                _out.WriteUtf8(columns[i].Name);
            }
            _out.WriteByte((byte)'\n');
            _out.EndMessage();
        }
    }

    private void WriteCopyData(ReadOnlySpan<byte> data)
    {
        _out.BeginMessage((byte)'d');
        WritePendingBinaryHeader();
        _out.WriteBytes(data);
        _out.EndMessage();
    }

    private void WritePendingBinaryHeader()
    {
        if (!_binaryHeaderPending)
            return;
        _out.WriteBytes(BinaryCopyHeader);
        _binaryHeaderPending = false;
    }

    /// <summary>Re-frames the DataRows in the scratch buffer as CopyData rows in the chosen format.</summary>
    private void DrainCopyRows(CopyOptions options)
    {
        var scratch = _copyScratch!.Written.Span;
        int at = 0;
        while (at < scratch.Length)
        {
            int length = PgInput.ReadInt32(scratch, at + 1);
            var body = scratch.Slice(at + 5, length - 4);
            at += 1 + length;
            _out.BeginMessage((byte)'d');
            WritePendingBinaryHeader();
            if (options.Format == CopyFormat.Binary)
                _out.WriteBytes(body);
            else
                CopyText.WriteRow(_out, body, options);
            _out.EndMessage();
        }
        _copyScratch.Clear();
    }
}
