using System.Buffers;
using Query.Engine.Errors;
using Query.Engine.Format;
using Query.Engine.Types;
using Query.Storage;

namespace Query.Engine.Execution;

/// <summary>
/// Encodes changes of a table into its changelog inside someone else's <see cref="LogTransaction"/> (a persistent
/// query commits its output, state and offsets in one): <see cref="Upsert"/> a full row (record key = the PRIMARY
/// KEY by <see cref="KeyEncoding"/>, value = the row in the table's value format), <see cref="Delete"/> a key (a
/// tombstone: the key and a null value). Records go to Kafka's partition of their key, as INSERT puts them, so
/// the table's materialized state (which follows the changelog) sees them. Usage: add changes, then
/// <see cref="AppendTo"/> the transaction, commit it, then <see cref="Reset"/> (the batches must not change until
/// the commit completed). Not thread-safe.
/// </summary>
public sealed class TableChangelogWriter : IDisposable
{
    private readonly StreamRuntime _table;
    private readonly RecordBatchBuilder?[] _batches;
    private readonly ArrayBufferWriter<byte> _value = new(256);

    public TableChangelogWriter(StreamRuntime table)
    {
        if (!table.Definition.IsTable)
            throw new ArgumentException($"\"{table.Definition.Name}\" is a stream, not a table", nameof(table));
        _table = table;
        _batches = new RecordBatchBuilder?[table.Log.PartitionCount];
    }

    /// <summary>Changes added since the last <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Adds an upsert of <paramref name="row"/> (one cell per column, of the column types).</summary>
    public void Upsert(ReadOnlySpan<Cell> row, long timestampMs = RecordBatchBuilder.UseAppendTime)
    {
        var key = KeyEncoding.Encode(_table, row) ?? throw new SqlException(SqlState.NotNullViolation,
            $"the PRIMARY KEY of table \"{_table.Definition.Name}\" cannot be NULL");
        _value.ResetWrittenCount();
        if (_table.Codec is { } codec)
            codec.EncodeValue(_value, row);
        else
            BinaryRowFormat.Write(_value, row, _table.Types);
        BatchFor(key).Add(timestampMs, key, true, _value.WrittenSpan, default);
        Count++;
    }

    /// <summary>Adds a tombstone for the key of <paramref name="keyRow"/> (only its key column is read).</summary>
    public void Delete(ReadOnlySpan<Cell> keyRow, long timestampMs = RecordBatchBuilder.UseAppendTime)
    {
        var key = KeyEncoding.Encode(_table, keyRow) ?? throw new SqlException(SqlState.NotNullViolation,
            $"the PRIMARY KEY of table \"{_table.Definition.Name}\" cannot be NULL");
        BatchFor(key).AddNullValue(timestampMs, key, hasKey: true);
        Count++;
    }

    private RecordBatchBuilder BatchFor(byte[] key)
    {
        var partition = Windows.WindowedKey.SinkPartition(key, _table.Definition.Window, _batches.Length);
        return _batches[partition] ??= new RecordBatchBuilder();
    }

    /// <summary>Enlists every pending change in <paramref name="transaction"/>, one batch per partition.</summary>
    public void AppendTo(LogTransaction transaction)
    {
        for (var p = 0; p < _batches.Length; p++)
        {
            if (_batches[p] is { Count: > 0 } batch)
                transaction.Append(_table.Log.GetPartition(p), batch);
        }
    }

    /// <summary>Forgets the changes (after their transaction committed or aborted); keeps the buffers.</summary>
    public void Reset()
    {
        foreach (var batch in _batches)
            batch?.Clear();
        Count = 0;
    }

    public void Dispose()
    {
        for (var p = 0; p < _batches.Length; p++)
        {
            _batches[p]?.Dispose();
            _batches[p] = null;
        }
    }
}
