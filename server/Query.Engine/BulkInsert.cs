using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;

namespace Query.Engine;

/// <summary>
/// A bulk append into one stream (the wire server's COPY FROM STDIN). Each added row is converted with the same
/// casts as INSERT and encoded at once; <see cref="CommitAsync"/> writes all rows, and disposing without commit
/// writes none. A conversion error names the row and column in its Detail.
/// </summary>
public sealed partial class BulkInsert : IAsyncDisposable
{
    private readonly StreamRuntime _stream;
    private readonly int[] _targets;
    private readonly Cell[] _row;
    private readonly RowAppender _appender;
    private readonly SqlType[] _types;   // per field: Columns[i].Type without an interface call per value
    private readonly SqlTypeKind[] _kinds;   // per field: _types[i].Kind

    private readonly bool _isLane;
    private readonly BulkRow _bulkRow;   // the row the field setters fill (COPY)

    /// <summary>A lane of <paramref name="main"/>: the same stream and columns, rows encoded apart.</summary>
    private BulkInsert(BulkInsert main)
    {
        _stream = main._stream;
        _targets = main._targets;
        _types = main._types;
        _kinds = main._kinds;
        Columns = main.Columns;
        _row = new Cell[main._row.Length];
        _appender = RowAppender.Lane(_stream);
        _bulkRow = new BulkRow(_stream);
        _isLane = true;
    }

    /// <summary>
    /// A lane for rows parsed on another thread (COPY parses chunks of its input in parallel): it converts and
    /// encodes rows like this insert, but keeps them apart until <see cref="AppendLane"/>. A lane's errors name the
    /// column, not the line (the caller knows the line).
    /// </summary>
    public BulkInsert OpenLane() => _isLane ? throw new InvalidOperationException("a lane has no lanes")
        : new BulkInsert(this);

    /// <summary>Adds every row of <paramref name="lane"/> after the rows added so far, in its order, and empties it.
    /// </summary>
    public void AppendLane(BulkInsert lane)
    {
        if (!lane._isLane || lane._stream != _stream)
            throw new ArgumentException("not a lane of this insert", nameof(lane));
        _appender.Splice(lane._appender);
    }

    internal BulkInsert(StreamRuntime stream, IReadOnlyList<string>? columns)
    {
        _stream = stream;
        var definition = stream.Definition;
        if (columns is null || columns.Count == 0)
        {
            _targets = new int[definition.Columns.Count];
            for (var i = 0; i < _targets.Length; i++)
                _targets[i] = i;
        }
        else
        {
            _targets = new int[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                var index = definition.IndexOf(columns[i]);
                if (index < 0)
                    index = definition.IndexOf(Grammar.Ast.Identifier.Fold(columns[i]));
                _targets[i] = index >= 0 ? index : throw SqlException.UndefinedColumn(columns[i]);
            }
        }
        var infos = new ColumnInfo[_targets.Length];
        for (var i = 0; i < infos.Length; i++)
            infos[i] = definition.Columns[_targets[i]];
        Columns = infos;
        _types = new SqlType[infos.Length];
        _kinds = new SqlTypeKind[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            _types[i] = infos[i].Type;
            _kinds[i] = _types[i].Kind;
        }
        _row = new Cell[definition.Columns.Count];
        _appender = new RowAppender(stream);
        _bulkRow = new BulkRow(stream);
    }

    /// <summary>The columns each added row supplies, in order.</summary>
    public IReadOnlyList<ColumnInfo> Columns { get; }

    public long RowCount => _appender.RowCount;

    /// <summary>Adds a row of text fields (null = NULL), parsed as each column's type.</summary>
    public void AddTextRow(IReadOnlyList<string?> fields)
    {
        CheckWidth(fields.Count);
        _row.AsSpan().Fill(Cell.Null);
        for (var i = 0; i < fields.Count; i++)
        {
            var type = _types[i];
            try
            {
                _row[_targets[i]] = fields[i] is null ? Cell.Null : ValueCast.ParseTextCell(fields[i]!, type);
            }
            catch (SqlException e)
            {
                throw WithContext(e, i);
            }
        }
        _appender.Add(_row);
    }

    /// <summary>
    /// Adds a row of CLR values (long, string, decimal, DateTime, byte[] ...), converted as parameters are.
    /// </summary>
    public void AddRow(IReadOnlyList<object?> values)
    {
        CheckWidth(values.Count);
        _row.AsSpan().Fill(Cell.Null);
        for (var i = 0; i < values.Count; i++)
        {
            var type = _types[i];
            try
            {
                _row[_targets[i]] = Cell.FromObject(ParameterConverter.ToEngineValue(values[i], type), type);
            }
            catch (SqlException e)
            {
                throw WithContext(e, i);
            }
        }
        _appender.Add(_row);
    }

    private void CheckWidth(int count)
    {
        if (count != Columns.Count)
            throw new SqlException("22P04", $"expected {Columns.Count} fields but got {count}",
                detail: $"COPY {_stream.Definition.Name}, line {RowCount + 1}");
    }

    private SqlException WithContext(SqlException e, int field) =>
        new(e.SqlState, e.Message, _isLane ? $"COPY {_stream.Definition.Name}, column {Columns[field].Name}"
            : $"COPY {_stream.Definition.Name}, line {RowCount + 1}, column {Columns[field].Name}",
            e.Hint, e.Position, e);

    /// <summary>Writes every added row; returns how many.</summary>
    public ValueTask<long> CommitAsync(CancellationToken cancellationToken = default) =>
        _appender.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        _appender.Dispose();
        return default;
    }
}
