using System.Diagnostics;
using Query.Engine;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// <c>pq-sjoin-latency [seconds] [eventsPerSecondPerSide]</c>: a CREATE STREAM AS SELECT joining two 4-partition
/// streams <c>WITHIN 1 MINUTE GRACE PERIOD 0 SECONDS</c> while both are produced in real time at the given rate per
/// side (every 10 ms a batch per side, event time = wall-clock time). Each right row has the key of the left row
/// produced half a second before it, so every right row joins exactly one left row and the join emits one row per
/// right row. A push query on the sink reads the joined rows as they become readable (the persistent query's
/// exactly-once commit makes them so); a row's latency is from the acknowledged append of the later of its two
/// rows (the right one) to that read. Prints the rate achieved, rows joined per second, process CPU per event, and
/// p50 / p99 / max latency. The run is short by default (10 s), so no row leaves the one-minute window: the state
/// grows for the whole run (about 1 KB per held row, see pq-sjoin; PersistentStateBytes is raised to 16 GiB here).
/// </summary>
internal static partial class EngineBench
{
    private const int LatencyTickMs = 10;
    private const int LatencyLagTicks = 50;   // a right row's key is that of the left row 0.5 s before it

    public static async Task StreamStreamJoinLatencyAsync(int seconds, int eventsPerSecond)
    {
        using var directory = new TempDirectory("pq-sjoin-latency");
        // Nothing leaves the one-minute window in a short run: the held rows need more than the default budget.
        await using var engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = directory.Path,
            PersistentStateBytes = 16L << 30,
        });
        var session = engine.CreateSession();
        foreach (var side in new[] { "l", "r" })
            await (await session.ExecuteAsync($"CREATE STREAM {side} (k BIGINT, tick INT, ts BIGINT) "
                + "WITH (PARTITIONS = 4, DURABILITY = 'NONE', TIMESTAMP = 'ts')")).DisposeAsync();
        await (await session.ExecuteAsync("CREATE STREAM j AS SELECT l.k, r.tick AS rtick FROM l JOIN r "
            + "WITHIN 1 MINUTE GRACE PERIOD 0 SECONDS ON l.k = r.k EMIT CHANGES")).DisposeAsync();
        var push = await engine.CreateSession().ExecuteAsync("SELECT rtick FROM j EMIT CHANGES");
        var perTick = Math.Max(1, eventsPerSecond * LatencyTickMs / 1000);
        var ticks = seconds * 1000 / LatencyTickMs;
        var expected = (long)(ticks - LatencyLagTicks) * perTick;
        var acked = new long[ticks];
        var latencies = new double[Math.Max(0, expected)];
        var tickWorst = new double[ticks];   // the worst latency of the rows of each tick: when the tail happened
        var received = 0L;
        var reader = Task.Run(async () =>
        {
            var rows = push.Rows!;
            while (received < expected && await rows.ReadAsync())
            {
                var now = Stopwatch.GetTimestamp();
                var tick = rows.GetInt32(0);
                var ack = Volatile.Read(ref acked[tick]);
                latencies[received] = ack == 0 ? 0 : Stopwatch.GetElapsedTime(ack, now).TotalMilliseconds;
                tickWorst[tick] = Math.Max(tickWorst[tick], latencies[received]);
                Interlocked.Increment(ref received);
            }
        });
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var gcBefore = GcCounts.Now();
        var clock = Stopwatch.StartNew();
        var writer = engine.CreateSession();
        var values = new object?[3];
        for (var t = 0; t < ticks; t++)
        {
            var eventTime = BaseMs + (long)clock.Elapsed.TotalMilliseconds;
            await AppendTickAsync(writer, "l", t, perTick, (long)t * perTick, eventTime, values);
            await AppendTickAsync(writer, "r", t, perTick, (long)(t - LatencyLagTicks) * perTick, eventTime, values);
            Volatile.Write(ref acked[t], Stopwatch.GetTimestamp());
            var due = TimeSpan.FromMilliseconds((t + 1) * LatencyTickMs);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed);
        }
        var produced = clock.Elapsed;
        var caughtUp = true;
        try
        {
            await reader.WaitAsync(TimeSpan.FromSeconds(seconds + 120));
        }
        catch (TimeoutException)
        {
            caughtUp = false;   // reported: the rows read so far are measured
        }
        var drained = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await push.DisposeAsync();
        var measured = latencies.AsSpan(0, (int)Interlocked.Read(ref received)).ToArray();
        var gc = GcCounts.Now() - gcBefore;
        PrintLatency(seconds, eventsPerSecond, ticks * perTick, produced, drained, cpu, measured);
        var query = engine.Queries.List().Single(q => q.Definition.Sink == "j");
        Console.WriteLine($"GC during the run: {gc}; the join's commits: {query.Commits:N0}; heap at the end "
            + $"{GC.GetTotalMemory(false) >> 20:N0} MiB");
        PrintWorstTicks(tickWorst);
        if (!caughtUp)
        {
            Console.WriteLine($"the join did not catch up: {measured.Length:N0} of {expected:N0} rows read, "
                + $"{query.RowsOut:N0} written; errors: {string.Join("; ", engine.PersistentQueryErrors())}");
        }
    }

    /// <summary>The ten ticks whose rows waited longest (time into the run, worst latency): one stall or several,
    /// regular (commits, snapshots) or growing with the state (collections of a growing heap).</summary>
    private static void PrintWorstTicks(double[] tickWorst)
    {
        var order = Enumerable.Range(0, tickWorst.Length).OrderByDescending(t => tickWorst[t]).Take(10);
        Console.WriteLine("worst ticks (s into the run: ms): " + string.Join(", ",
            order.Select(t => $"{t * LatencyTickMs / 1000.0:F2}: {tickWorst[t]:F0}")));
    }

    /// <summary>Collections per generation and their total pause, to tell a collector's pauses from the join's.
    /// </summary>
    private readonly record struct GcCounts(int Gen0, int Gen1, int Gen2, TimeSpan Pause)
    {
        public static GcCounts Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetTotalPauseDuration());

        public static GcCounts operator -(GcCounts a, GcCounts b) =>
            new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Pause - b.Pause);

        public override string ToString() =>
            $"{Gen0} gen0, {Gen1} gen1, {Gen2} gen2 collections, {Pause.TotalMilliseconds:N0} ms paused in all";
    }

    private static async Task AppendTickAsync(EngineSession writer, string side, int tick, int rows, long firstKey,
        long eventTime, object?[] values)
    {
        await using var bulk = writer.BeginBulkInsert(side);
        for (var i = 0; i < rows; i++)
        {
            values[0] = firstKey + i;
            values[1] = tick;
            values[2] = eventTime;
            bulk.AddRow(values);
        }
        await bulk.CommitAsync();
    }

    private static void PrintLatency(int seconds, int rate, long perSide, TimeSpan produced, TimeSpan drained,
        TimeSpan cpu, double[] latencies)
    {
        Array.Sort(latencies);
        double P(double q) => latencies.Length == 0 ? 0
            : latencies[(int)Math.Min(latencies.Length - 1, q * latencies.Length)];
        Console.WriteLine("| target per side | run | achieved per side | rows joined | joined/s (until drained) | "
            + "CPU per event | p50 | p99 | max |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {rate:N0}/s | {seconds} s | {perSide / produced.TotalSeconds:N0}/s | "
            + $"{latencies.Length:N0} | {latencies.Length / drained.TotalSeconds:N0} | "
            + $"{cpu.TotalMicroseconds / (2.0 * perSide):F2} us | "
            + $"{P(0.5):F1} ms | {P(0.99):F1} ms | {(latencies.Length == 0 ? 0 : latencies[^1]):F1} ms |");
    }
}
