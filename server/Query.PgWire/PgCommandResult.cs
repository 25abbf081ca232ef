using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>A result with no rows: DDL, INSERT, utility commands.</summary>
public sealed class PgCommandResult : IPgResult
{
    public PgCommandResult(string commandTag) => CommandTag = commandTag;

    public string CommandTag { get; }

    public int WriteRows(PgRowWriter writer, int maxRows) => 0;

    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
