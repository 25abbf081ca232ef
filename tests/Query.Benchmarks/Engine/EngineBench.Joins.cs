using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// Join benches: <c>pq-join [events] [tableKeys]</c> — a CREATE STREAM AS SELECT joining a preloaded 4-partition
/// stream with a table of <c>tableKeys</c> keys (each event looks its key up in the table's state), until caught
/// up, beside the same CSAS without the join over the same events in the same run; then the same join as a pull
/// query (a hash join building the table side).
/// </summary>
internal static partial class EngineBench
{
    public static async Task PersistentJoinAsync(int events, int keys)
    {
        using var directory = new TempDirectory("pq-join-bench");
        await using var engine = await LoadPersistentSourceAsync(directory, events, keys);
        var session = engine.CreateSession();
        await (await session.ExecuteAsync("CREATE TABLE users (id INT PRIMARY KEY, name STRING) "
            + "WITH (PARTITIONS = 4, DURABILITY = 'NONE')")).DisposeAsync();
        var values = new object?[2];
        const int Chunk = 500_000;
        for (var start = 0; start < keys; start += Chunk)
        {
            await using var bulk = session.BeginBulkInsert("users");
            for (var i = start; i < Math.Min(keys, start + Chunk); i++)
            {
                values[0] = i;
                values[1] = "user" + i;
                bulk.AddRow(values);
            }
            await bulk.CommitAsync();
        }
        await DrainAsync(session, "SELECT COUNT(*) FROM users");   // materialize the table's state once
        var (plainElapsed, plainCpu) = await RunUntilCaughtUpAsync(engine, "CREATE STREAM plain AS SELECT user_id, "
            + "amount FROM ev EMIT CHANGES");
        var (joinElapsed, joinCpu) = await RunUntilCaughtUpAsync(engine, "CREATE STREAM enriched AS SELECT "
            + "e.user_id, e.amount, u.name FROM ev e JOIN users u ON e.user_id = u.id EMIT CHANGES");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await DrainAsync(session, "SELECT COUNT(*) FROM ev e JOIN users u ON e.user_id = u.id WHERE u.id < 100000");
        var pull = clock.Elapsed;
        Console.WriteLine("| query | events | table keys | elapsed | events/s | CPU |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| CSAS project (no join) | {events:N0} | - | {plainElapsed.TotalSeconds:F2} s | "
            + $"{events / plainElapsed.TotalSeconds:N0} | {plainCpu.TotalSeconds:F1} s |");
        Console.WriteLine($"| CSAS stream-table join | {events:N0} | {keys:N0} | {joinElapsed.TotalSeconds:F2} s | "
            + $"{events / joinElapsed.TotalSeconds:N0} | {joinCpu.TotalSeconds:F1} s |");
        Console.WriteLine($"| pull COUNT(*) over the hash join, table side WHERE id < 100,000 | {events:N0} | "
            + $"{keys:N0} | {pull.TotalSeconds:F2} s | {events / pull.TotalSeconds:N0} | - |");
    }
}
