using System.Threading.Channels;
using Query.Engine.Errors;
using Query.Engine.Planning;
using Query.Engine.Planning.Logical;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// A pull query's scan, with the filters over it, on several threads: the plan is made once and cut by
/// <see cref="ScanShares"/> (as for <see cref="ParallelHashAggregateOperator"/>), each worker scans and filters its
/// share and copies the records left into batches of its own, and the batches are handed over in share order. So
/// the records come out in exactly the order one thread reading the whole plan gives, and a LIMIT, ORDER BY or
/// top-N above sees the same rows. A worker owns at most <see cref="BatchesPerWorker"/> batches (full ones
/// waiting, plus the one the consumer holds until its next call), so memory is bounded whatever the filter keeps:
/// a later share's worker waits, its batches full, until the consumer reaches its share.
/// <para>Errors: the first worker to fail cancels the others, and its error is the query's (a user's cancel stays
/// 57014). Disposing (a LIMIT that has its rows, an error above) cancels the workers and waits for them.</para>
/// </summary>
public sealed class ParallelScanOperator : RecordOperator
{
    private const int BatchesPerWorker = 4;
    private readonly Worker[] _workers;
    private readonly ScanStatistics _statistics;
    private CancellationTokenSource? _group;
    private Task[]? _tasks;
    private int _current;
    private RecordBatch? _held;
    private bool _finished;

    private ParallelScanOperator(Worker[] workers, ScanStatistics statistics)
    {
        _workers = workers;
        _statistics = statistics;
    }

    /// <summary>
    /// The records of <paramref name="scan"/> under its filters (<paramref name="records"/>, planned over a slice
    /// of the scan): on several threads when the context allows more than one worker and the scan has enough
    /// records in more than one partition, otherwise as planned, on the caller's thread.
    /// </summary>
    public static Func<OperatorContext, RecordOperator> Over(LogicalScan scan, IReadOnlySet<int>? columns,
        bool timestampOnlyAdmits, Func<OperatorContext, RecordOperator> records) => context =>
    {
        if (context.ScanWorkers <= 1 || context.ScanSlice is not null)
            return records(context);
        var full = ScanPlan.ForPull(scan.Source, scan.Pushdown) with
        {
            Columns = columns,
            TimestampColumnOnlyAdmits = timestampOnlyAdmits,
        };
        var shares = ScanShares.Split(full, context.ScanWorkers, context.ScanWorkerMinRecords);
        if (shares.Count <= 1)
            return records(context with { ScanSlice = full });
        var workers = new Worker[shares.Count];
        try
        {
            for (var w = 0; w < workers.Length; w++)
            {
                var statistics = new ScanStatistics();
                var input = records(context with { ScanSlice = shares[w], Statistics = statistics });
                workers[w] = new Worker(input, statistics,
                    () => new RecordBatch(context.Limits.Rows, context.Limits.Bytes, scan.Source.CreateCursor()));
            }
        }
        catch
        {
            foreach (var worker in workers)
                worker?.Input.Dispose();
            throw;
        }
        return new ParallelScanOperator(workers, context.Statistics);
    };

    public override async ValueTask<RecordBatch?> NextAsync(CancellationToken cancellationToken)
    {
        if (_held is { } held)
        {
            _workers[_current].Free.Writer.TryWrite(held);
            _held = null;
        }
        if (cancellationToken.IsCancellationRequested)
            throw SqlException.Canceled();
        _tasks ??= Start(cancellationToken);
        try
        {
            while (_current < _workers.Length)
            {
                var full = _workers[_current].Full.Reader;
                if (full.TryRead(out var batch))
                    return _held = batch;
                if (!await full.WaitToReadAsync(cancellationToken))
                    _current++;
            }
            await Task.WhenAll(_tasks);
        }
        catch (Exception)
        {
            if (cancellationToken.IsCancellationRequested)
                throw SqlException.Canceled();
            await Stop();
            ScanShares.ThrowFirstFailure(_tasks);
            throw;
        }
        Finish();
        return null;
    }

    private Task[] Start(CancellationToken cancellationToken)
    {
        _group = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var group = _group;
        var tasks = new Task[_workers.Length];
        for (var w = 0; w < tasks.Length; w++)
        {
            var worker = _workers[w];
            tasks[w] = Task.Run(() => RunAsync(worker, group), CancellationToken.None);
        }
        return tasks;
    }

    private static async Task RunAsync(Worker worker, CancellationTokenSource group)
    {
        try
        {
            while (await worker.Input.NextAsync(group.Token) is { } batch)
            {
                if (batch.Count == 0)
                    continue;
                var output = await worker.RentAsync(group.Token);
                output.CopySelected(batch);
                worker.Full.Writer.TryWrite(output);
            }
            worker.Full.Writer.TryComplete();
        }
        catch (Exception error)
        {
            worker.Full.Writer.TryComplete(error);
            await group.CancelAsync();
            throw;
        }
        finally
        {
            worker.Input.Dispose();
        }
    }

    // Cancels the workers and waits until none runs (their readers are closed by then), whatever they ended with.
    private async Task Stop()
    {
        if (_group is null || _tasks is null)
            return;
        await _group.CancelAsync();
        try
        {
            await Task.WhenAll(_tasks);
        }
        catch (Exception)
        {
            // Each worker's error is looked at by the caller (ScanShares.ThrowFirstFailure) or not wanted.
        }
    }

    private void Finish()
    {
        if (_finished)
            return;
        _finished = true;
        foreach (var worker in _workers)
            _statistics.Add(worker.Statistics);
        _group?.Dispose();
    }

    public override void Dispose()
    {
        if (!_finished)
        {
            if (_tasks is null)
            {
                foreach (var worker in _workers)
                    worker.Input.Dispose();
            }
            else
            {
                Stop().GetAwaiter().GetResult();
            }
            Finish();
        }
        base.Dispose();
    }

    /// <summary>One share: its scan and filters, and the batches its records are handed over in.</summary>
    private sealed class Worker(RecordOperator input, ScanStatistics statistics, Func<RecordBatch> newBatch)
    {
        private int _created;

        public RecordOperator Input => input;

        public ScanStatistics Statistics => statistics;

        /// <summary>Filled batches, in order, for the consumer.</summary>
        public Channel<RecordBatch> Full { get; } =
            Channel.CreateUnbounded<RecordBatch>(
                new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        /// <summary>Batches the consumer is done with.</summary>
        public Channel<RecordBatch> Free { get; } =
            Channel.CreateUnbounded<RecordBatch>(
                new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        /// <summary>A batch to fill: a free one, a new one while fewer than the bound exist, or the next one freed.
        /// </summary>
        public ValueTask<RecordBatch> RentAsync(CancellationToken cancellationToken)
        {
            if (Free.Reader.TryRead(out var batch))
                return new ValueTask<RecordBatch>(batch);
            if (_created < BatchesPerWorker)
            {
                _created++;
                return new ValueTask<RecordBatch>(newBatch());
            }
            return Free.Reader.ReadAsync(cancellationToken);
        }
    }
}
