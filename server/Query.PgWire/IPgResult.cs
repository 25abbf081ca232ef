using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>
/// A running statement's output. The connection alternates <see cref="WriteRows"/> (synchronous, writes what is
/// ready) and <see cref="WaitAsync"/> (waits for more); a push query's <see cref="WaitAsync"/> never returns false.
/// </summary>
public interface IPgResult : IAsyncDisposable
{
    /// <summary>
    /// Writes up to <paramref name="maxRows"/> rows that are ready now through
    /// <see cref="PgRowWriter.BeginRow"/> … <see cref="PgRowWriter.EndRow"/>, stopping early once
    /// <see cref="PgRowWriter.ShouldFlush"/> is true. Returns the number written; 0 when none is ready.
    /// </summary>
    int WriteRows(PgRowWriter writer, int maxRows);

    /// <summary>
    /// True when more rows are ready; false when the result has ended (then read <see cref="CommandTag"/>).
    /// </summary>
    ValueTask<bool> WaitAsync(CancellationToken cancellationToken);

    /// <summary>The CommandComplete tag once ended: <c>SELECT 3</c>, <c>INSERT 0 1</c>, <c>CREATE STREAM</c>.</summary>
    string CommandTag { get; }
}
