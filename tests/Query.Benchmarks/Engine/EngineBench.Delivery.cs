using System.Collections.Concurrent;
using System.Diagnostics;
using Query.Engine;

namespace Query.Benchmarks;

internal static partial class EngineBench
{
    /// <summary>
    /// Commits <paramref name="batches"/> batches of <paramref name="batchRows"/> rows (batch, n) into stream
    /// <c>lat</c>, paced to <paramref name="rowsPerSecond"/>, while a reader takes <paramref name="push"/>'s rows
    /// (column 0: the batch) and records how long after its batch's commit each one arrived; waits for the reader
    /// (<paramref name="readerTimeout"/> at the most) and disposes <paramref name="push"/>. Returns the delivery
    /// latencies in ms, sorted, and the clock started when writing began (still running).
    /// </summary>
    private static async Task<(double[] SortedMs, Stopwatch Clock)> MeasureDeliveryAsync(QueryEngine engine,
        StatementResult push, int batches, int batchRows, int rowsPerSecond, TimeSpan readerTimeout)
    {
        var acked = new long[batches];
        var delivered = new ConcurrentBag<double>();
        var reader = Task.Run(async () =>
        {
            var rows = push.Rows!;
            for (long received = 0; received < (long)batches * batchRows && await rows.ReadAsync();)
            {
                received++;
                var batch = rows.GetInt64(0);
                var now = Stopwatch.GetTimestamp();
                var ack = Volatile.Read(ref acked[batch]);
                delivered.Add(ack == 0 ? 0 : Math.Max(0, Stopwatch.GetElapsedTime(ack, now).TotalMilliseconds));
            }
        });
        var writer = engine.CreateSession();
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds((double)batchRows / rowsPerSecond);
        for (var b = 0; b < batches; b++)
        {
            await using (var bulk = writer.BeginBulkInsert("lat"))
            {
                for (var i = 0; i < batchRows; i++)
                    bulk.AddRow([(long)b, i]);
                await bulk.CommitAsync();
            }
            Volatile.Write(ref acked[b], Stopwatch.GetTimestamp());
            var due = interval * (b + 1);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed);
        }
        await reader.WaitAsync(readerTimeout);
        await push.DisposeAsync();
        return (delivered.Order().ToArray(), clock);
    }
}
