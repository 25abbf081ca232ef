namespace Query.Engine.Execution.Operators;

/// <summary>
/// An aggregate over an unbounded input whose state a persistent query commits with its output and offsets (see
/// <see cref="Persistent.PersistentQuery"/>): the changes since the last commit as (key, value) records of the
/// query's state log, and the way back from those records on restart.
/// </summary>
public interface IContinuousAggregate
{
    /// <summary>Whether state changed since the last <see cref="WriteChanges"/>.</summary>
    bool HasChanges { get; }

    /// <summary>Whether output rows of an input batch already read are still to come: the query must not commit
    /// (its offsets would then cover rows not yet written).</summary>
    bool HasPendingOutput { get; }

    /// <summary>Records that arrived after their window had closed and were dropped (0 without windows).</summary>
    long LateRecordsDropped { get; }

    /// <summary>Hands each change since the last call to <paramref name="write"/> as (key, state) bytes.</summary>
    void WriteChanges(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write);

    /// <summary>Applies one state log record written by <see cref="WriteChanges"/> (replayed oldest first).</summary>
    void Restore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> state);
}
