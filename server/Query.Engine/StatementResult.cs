using Query.Engine.Execution;

namespace Query.Engine;

/// <summary>
/// The outcome of one statement: either a command completion (<see cref="CommandTag"/>, e.g. "CREATE STREAM",
/// "INSERT 0 3") or rows (<see cref="Rows"/>, whose command tag after reading is "SELECT n" with n =
/// <see cref="RowReader.RowCount"/>). Dispose it to release a running query.
/// </summary>
public sealed class StatementResult : IAsyncDisposable
{
    private StatementResult(string? commandTag, RowReader? rows)
    {
        CommandTag = commandTag;
        Rows = rows;
    }

    public static StatementResult Command(string tag) => new(tag, null);

    public static StatementResult Query(RowReader rows) => new(null, rows);

    /// <summary>The completion tag for commands; null for row results.</summary>
    public string? CommandTag { get; }

    /// <summary>The rows of a query, SHOW, DESCRIBE or EXPLAIN; null for commands.</summary>
    public RowReader? Rows { get; }

    public bool IsQuery => Rows is not null;

    public ValueTask DisposeAsync() => Rows?.DisposeAsync() ?? default;
}
