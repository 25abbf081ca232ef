using Query.Engine;
using Query.PgWire;
using Query.PgWire.Types;

namespace Query.Server;

/// <summary>COPY FROM STDIN rows into an engine <see cref="BulkInsert"/>: all or nothing.</summary>
internal sealed class WireCopySink : IPgCopySink
{
    private readonly BulkInsert _insert;
    private readonly string?[] _textRow;
    private readonly object?[] _valueRow;

    public WireCopySink(BulkInsert insert)
    {
        _insert = insert;
        var columns = new PgColumn[insert.Columns.Count];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = PgTypeMapping.ToPgColumn(insert.Columns[i]);
        Columns = columns;
        _textRow = new string?[columns.Length];
        _valueRow = new object?[columns.Length];
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

    private void AppendText(PgValues row)
    {
        if (row.Count != _textRow.Length)
        {
            _insert.AddTextRow(ToStrings(row));
            return;
        }
        for (var i = 0; i < _textRow.Length; i++)
            _textRow[i] = row.IsNull(i) ? null : row.GetString(i);
        _insert.AddTextRow(_textRow);
    }

    private void AppendBinary(PgValues row)
    {
        if (row.Count != _valueRow.Length)
        {
            _insert.AddTextRow(ToStrings(row));
            return;
        }
        for (var i = 0; i < _valueRow.Length; i++)
            _valueRow[i] = row.IsNull(i) ? null : row.GetValue(i);
        _insert.AddRow(_valueRow);
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

    public ValueTask DisposeAsync() => _insert.DisposeAsync();
}
