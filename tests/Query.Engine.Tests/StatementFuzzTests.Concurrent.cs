using System.Globalization;

namespace Query.Engine.Tests;

/// <summary>Statements at once from several sessions: DDL against scans, writes and queries being created, and
/// ON CONFLICT increments of one key, which must lose no update.</summary>
public sealed partial class StatementFuzzTests
{
    private static readonly TimeSpan ConcurrentCancel = TimeSpan.FromSeconds(3);
    private const int CounterRepeats = 10;

    private async Task ConcurrentAsync(FuzzStep step)
    {
        foreach (var setup in step.Sql.Split(';'))
            await TryAsync(setup);
        var successes = 0;
        var tasks = new Task[step.Together!.Length];
        for (var i = 0; i < tasks.Length; i++)
        {
            var sql = step.Together[i];
            var session = _db.Engine.CreateSession();
            tasks[i] = Task.Run(async () =>
            {
                for (var r = 0; r < (step.Counter is null ? 1 : CounterRepeats); r++)
                {
                    var (_, _, error) = await TryAsync(sql, session: session, cancelAfter: ConcurrentCancel);
                    if (error is null)
                        Interlocked.Increment(ref successes);
                }
            });
        }
        await Task.WhenAll(tasks);
        Count("ok Concurrent");
        if (step.Counter is not null)
        {
            var (rows, _, _) = await TryAsync($"SELECT n FROM {step.Counter} WHERE id = 1");
            var value = rows is [var row] ? Convert.ToInt32(row[0], CultureInfo.InvariantCulture) : 0;
            if (value != successes)
            {
                Fail($"{string.Join(" || ", step.Together)}\n    -> {successes} increments acknowledged, "
                    + $"the key holds {value}");
            }
        }
        // The queries created meanwhile reach lag 0 or stop with a SQL error; then they go.
        await CheckQueriesAsync();
        var prefix = step.Sql.Split(' ')[2];
        foreach (var query in _db.Engine.Queries.List())
        {
            if (query.Definition.Sink.StartsWith(prefix + "_", StringComparison.OrdinalIgnoreCase))
            {
                await TryAsync($"TERMINATE {query.Definition.Id}");
                await TryAsync($"DROP {(query.Definition.Sink.EndsWith("_a", StringComparison.OrdinalIgnoreCase)
                    ? "TABLE" : "STREAM")} IF EXISTS {query.Definition.Sink}");
            }
        }
    }
}
