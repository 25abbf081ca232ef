using System.Runtime.CompilerServices;
using Query.Engine;
using Query.Engine.Types;
using Query.PgWire;
using Query.PgWire.Types;

namespace Query.Server;

/// <summary>
/// COPY FROM STDIN rows into an engine <see cref="BulkInsert"/>: all or nothing. Text and CSV fields come straight
/// from the parser's buffer (<see cref="IPgCopyTextSink"/>) and are parsed by the engine from their UTF-8 bytes.
/// </summary>
internal sealed class WireCopySink : IPgCopyTextSink
{
    private readonly BulkInsert _insert;
    private readonly SqlTypeKind[] _kinds;

    public WireCopySink(BulkInsert insert)
    {
        _insert = insert;
        var columns = new PgColumn[insert.Columns.Count];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = PgTypeMapping.ToPgColumn(insert.Columns[i]);
        Columns = columns;
        _kinds = new SqlTypeKind[columns.Length];
        for (var i = 0; i < columns.Length; i++)
            _kinds[i] = insert.Columns[i].Type.Kind;
    }

    public IReadOnlyList<PgColumn> Columns { get; }

    public void Append(PgValues row)
    {
        try
        {
            if (row.Count > 0 && row.IsBinary(0))
                AppendBinary(row);
            else
                AppendText(row);
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeginTextRow() => _insert.BeginRow();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetTextField(int field, ReadOnlySpan<byte> utf8)
    {
        try
        {
            _insert.SetText(field, utf8);
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EndTextRow()
    {
        try
        {
            _insert.EndRow();
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    // Text fields go to the engine as UTF-8 bytes, parsed there without a string per field.
    private void AppendText(PgValues row)
    {
        if (row.Count != _kinds.Length)
        {
            _insert.AddTextRow(ToStrings(row));
            return;
        }
        _insert.BeginRow();
        for (var i = 0; i < _kinds.Length; i++)
        {
            if (!row.IsNull(i))
                _insert.SetText(i, row.GetRaw(i));
        }
        _insert.EndRow();
    }

    // Binary fields carry the column's own type (Columns maps each engine type to one OID), decoded unboxed.
    private void AppendBinary(PgValues row)
    {
        if (row.Count != _kinds.Length)
        {
            _insert.AddTextRow(ToStrings(row));
            return;
        }
        _insert.BeginRow();
        for (var i = 0; i < _kinds.Length; i++)
        {
            if (!row.IsNull(i))
                SetBinary(row, i);
        }
        _insert.EndRow();
    }

    private void SetBinary(PgValues row, int i)
    {
        switch (_kinds[i])
        {
            case SqlTypeKind.Int or SqlTypeKind.BigInt:
                _insert.SetInt64(i, row.GetInt64(i));
                break;
            case SqlTypeKind.Double:
                _insert.SetDouble(i, row.GetDouble(i));
                break;
            case SqlTypeKind.Boolean:
                _insert.SetBoolean(i, row.GetBoolean(i));
                break;
            case SqlTypeKind.Timestamp:
                _insert.SetTimestampMs(i, row.GetTimestampMicros(i) / 1000);
                break;
            case SqlTypeKind.String or SqlTypeKind.Bytes:
                _insert.SetBytes(i, row.GetRaw(i));
                break;
            default:
                _insert.SetValue(i, row.GetValue(i));
                break;
        }
    }

    // A row of the wrong width: let the engine report it with its line number.
    private static string?[] ToStrings(PgValues row)
    {
        var fields = new string?[row.Count];
        for (var i = 0; i < fields.Length; i++)
            fields[i] = row.IsNull(i) ? null : row.GetString(i);
        return fields;
    }

    public async ValueTask<long> CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _insert.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    public IPgCopySink OpenLane() => new WireCopySink(_insert.OpenLane());

    public void AppendLane(IPgCopySink lane)
    {
        try
        {
            _insert.AppendLane(((WireCopySink)lane)._insert);
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    public ValueTask DisposeAsync() => _insert.DisposeAsync();
}
