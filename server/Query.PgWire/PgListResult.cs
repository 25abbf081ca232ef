using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>A finite in-memory result of boxed values (catalog answers, SHOW); not for hot paths.</summary>
public sealed class PgListResult : IPgResult
{
    private readonly IReadOnlyList<object?[]> _rows;
    private int _next;

    public PgListResult(IReadOnlyList<object?[]> rows, string? commandTag = null)
    {
        _rows = rows;
        CommandTag = commandTag ?? $"SELECT {rows.Count}";
    }

    public string CommandTag { get; }

    public int WriteRows(PgRowWriter writer, int maxRows)
    {
        int written = 0;
        while (_next < _rows.Count && written < maxRows && !writer.ShouldFlush)
        {
            var row = _rows[_next++];
            writer.BeginRow();
            foreach (var value in row)
                writer.WriteValue(value);
            writer.EndRow();
            written++;
        }
        return written;
    }

    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_next < _rows.Count);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
