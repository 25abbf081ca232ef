using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>A bulk append opened by COPY FROM STDIN (all or nothing).</summary>
public interface IPgCopySink : IAsyncDisposable
{
    /// <summary>The target columns in COPY order; their types decide how fields are parsed.</summary>
    IReadOnlyList<PgColumn> Columns { get; }

    /// <summary>
    /// Buffers one row; <paramref name="row"/> is only valid during the call. Throw PgException to reject.
    /// </summary>
    void Append(PgValues row);

    /// <summary>Makes every appended row visible at once and returns the row count.</summary>
    ValueTask<long> CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A sink of its own for rows parsed on another thread (COPY parses chunks of a large input in parallel); its
    /// rows join this sink only through <see cref="AppendLane"/>. Null: this sink takes rows on one thread only.
    /// </summary>
    IPgCopySink? OpenLane() => null;

    /// <summary>Adds every row of <paramref name="lane"/> (from <see cref="OpenLane"/>) after the rows appended so
    /// far, in order. Only called with a lane this sink opened.</summary>
    void AppendLane(IPgCopySink lane) => throw new InvalidOperationException("this sink opens no lanes");
}
