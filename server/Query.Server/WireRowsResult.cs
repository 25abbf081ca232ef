using Query.Engine;
using Query.Engine.Execution;
using Query.Engine.Types;
using Query.PgWire;
using Query.PgWire.Types;

namespace Query.Server;

/// <summary>
/// An engine <see cref="RowReader"/> as a wire result. <see cref="WriteRows"/> writes every row the reader can
/// produce synchronously; the first read that would wait is parked and awaited by <see cref="WaitAsync"/>, which
/// is when the wire layer flushes. So a pull query streams in large writes and a push query flushes per arrival.
/// </summary>
internal sealed class WireRowsResult : IPgResult
{
    private readonly StatementResult _result;
    private readonly RowReader _rows;
    private readonly SqlTypeKind[] _kinds;
    private readonly CancellationToken _cancellationToken;
    private Task<bool>? _pendingRead;
    private bool _hasCurrent;
    private bool _ended;

    public WireRowsResult(StatementResult result, CancellationToken cancellationToken)
    {
        _result = result;
        _rows = result.Rows!;
        _cancellationToken = cancellationToken;
        _kinds = new SqlTypeKind[_rows.Columns.Count];
        for (var i = 0; i < _kinds.Length; i++)
            _kinds[i] = _rows.Columns[i].Type.Kind;
    }

    public string CommandTag => $"SELECT {_rows.RowCount}";

    public int WriteRows(PgRowWriter writer, int maxRows)
    {
        var written = 0;
        try
        {
            while (written < maxRows && !writer.ShouldFlush && (_hasCurrent || TryAdvanceNow()))
            {
                WriteCurrent(writer);
                _hasCurrent = false;
                written++;
            }
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
        return written;
    }

    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_hasCurrent)
            return true;
        if (_ended)
            return false;
        try
        {
            var read = _pendingRead ?? _rows.ReadAsync(_cancellationToken).AsTask();
            _pendingRead = read;
            // A wait may be abandoned (cursor FETCH timeout, client gone) while the read stays parked for later.
            var hasRow = await read.WaitAsync(cancellationToken);
            _pendingRead = null;
            _hasCurrent = hasRow;
            _ended = !hasRow;
            return hasRow;
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _result.DisposeAsync();
        if (_pendingRead is not null)
        {
            // The reader was disposed under a parked read; its outcome no longer matters.
            try
            {
                await _pendingRead.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException
                or Query.Engine.Errors.SqlException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Reads the next row if it is ready without waiting; parks the read otherwise.</summary>
    private bool TryAdvanceNow()
    {
        if (_ended || _pendingRead is not null)
            return false;
        var read = _rows.ReadAsync(_cancellationToken);
        if (!read.IsCompleted)
        {
            _pendingRead = read.AsTask();
            return false;
        }
        _hasCurrent = read.GetAwaiter().GetResult();
        _ended = !_hasCurrent;
        return _hasCurrent;
    }

    private void WriteCurrent(PgRowWriter writer)
    {
        writer.BeginRow();
        for (var i = 0; i < _kinds.Length; i++)
        {
            if (_rows.IsNull(i))
            {
                writer.WriteNull();
                continue;
            }
            switch (_kinds[i])
            {
                case SqlTypeKind.Boolean: writer.WriteBool(_rows.GetBoolean(i)); break;
                case SqlTypeKind.Int: writer.WriteInt32(_rows.GetInt32(i)); break;
                case SqlTypeKind.BigInt: writer.WriteInt64(_rows.GetInt64(i)); break;
                case SqlTypeKind.Double: writer.WriteFloat8(_rows.GetDouble(i)); break;
                case SqlTypeKind.Decimal when _rows.Columns[i].Type is DecimalType { IsWide: true }:
                    var wide = (WideDecimal)_rows.GetValue(i)!;
                    writer.WriteNumeric(wide.Unscaled, wide.Scale);
                    break;
                case SqlTypeKind.Decimal: writer.WriteNumeric(_rows.GetDecimal(i)); break;
                case SqlTypeKind.String: writer.WriteText(_rows.GetString(i)); break;
                case SqlTypeKind.Bytes: writer.WriteBytes(_rows.GetBytes(i)); break;
                case SqlTypeKind.Timestamp: writer.WriteTimestamp(_rows.GetInt64(i) * 1000); break;
                case SqlTypeKind.Date: writer.WriteDate(_rows.GetInt32(i)); break;
                case SqlTypeKind.Time: writer.WriteTime(_rows.GetInt32(i) * 1000L); break;
                case SqlTypeKind.Array: WriteArray(writer, i); break;
                default: writer.WriteText(_rows.GetText(i)); break;
            }
        }
        writer.EndRow();
    }

    private void WriteArray(PgRowWriter writer, int ordinal)
    {
        var type = (ArrayType)_rows.Columns[ordinal].Type;
        if (PgTypeMapping.OidOf(type) != PgTypeOid.Json && _rows.GetValue(ordinal) is SqlArray array)
            WireArrayWriter.Write(writer, array, type);
        else
            writer.WriteText(_rows.GetText(ordinal));
    }
}
