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
}
