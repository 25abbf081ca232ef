using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.State;
using Query.Engine.Types;

namespace Query.Engine.Persistent;

/// <summary>
/// HAVING of a persistent aggregate (CREATE TABLE AS SELECT): a changed group whose row passes is written as an
/// upsert; one that does not pass any more deletes its key from the table with a tombstone, and one that never
/// passed writes nothing. That is what ksqlDB's output shows (a tombstone only for a row the table held). Whether
/// the table holds a key is its materialized state (the committed changelog) overlaid with what this query wrote
/// since its last commit.
/// </summary>
internal sealed class HavingTombstones(StreamRuntime table, int havingIndex)
{
    private readonly Dictionary<byte[], bool> _pending = new(ByteKeyComparer.Instance);

    /// <summary>Writes <paramref name="row"/> (a sink row) or its tombstone; false when nothing was written.</summary>
    public bool Write(RowAppender appender, Cell[] row, Cell[] output, long? timestampMs)
    {
        var passes = output[havingIndex] is { IsNull: false } value && value.Bits != 0;
        if (passes)
        {
            appender.Add(row, timestampMs);
            if (KeyEncoding.Encode(table, row) is { } key)
                _pending[key] = true;
            return true;
        }
        if (KeyEncoding.Encode(table, row) is not { } deleted || !Shows(deleted))
            return false;
        appender.AddTombstone(deleted, timestampMs ?? Storage.RecordBatchBuilder.UseAppendTime);
        _pending[deleted] = false;
        return true;
    }

    private bool Shows(byte[] key)
    {
        if (_pending.TryGetValue(key, out var shown))
            return shown;
        var state = table.Table ?? throw new SqlException(SqlState.WrongObjectType,
            $"\"{table.Definition.Name}\" is not a table");
        state.CatchUp(CancellationToken.None);
        return state.ContainsKey(key);
    }

    /// <summary>After a commit (the table's state now has these rows) or an abort (they were never written).</summary>
    public void Forget() => _pending.Clear();
}
