using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Query.PgWire.Protocol;

namespace Query.PgWire.Copy;

/// <summary>
/// Parallel parsing of a large text or CSV COPY: the input is cut after a complete record into chunks of about
/// <see cref="_chunkBytes"/>, each parsed on a worker thread into a lane of the sink
/// (<see cref="IPgCopySink.OpenLane"/>) by a parser of its own that starts at the chunk's line number. The lanes
/// are appended to the sink in chunk order, so rows keep their order, and the first failing chunk in that order
/// reports its error with its line, as the one-thread parser would. At most <see cref="_parallelism"/> chunks are
/// in flight (bounded memory); the connection's thread reads, cuts and appends.
/// </summary>
internal sealed partial class CopyInParser
{
    private int _parallelism;
    private readonly int _chunkBytes;
    private readonly Queue<ChunkJob> _inFlight = new();
    private BlockingCollection<ChunkJob>? _queue;
    private Thread[]? _workers;

    private sealed class ChunkJob(byte[] buffer, int length, long firstLine, IPgCopySink lane)
    {
        public byte[] Buffer { get; } = buffer;
        public int Length { get; } = length;
        public long FirstLine { get; } = firstLine;
        public IPgCopySink Lane { get; } = lane;
        public ManualResetEventSlim Done { get; } = new();
        public ExceptionDispatchInfo? Error { get; set; }
        public long Rows { get; set; }
        public bool Ended { get; set; }
    }

    /// <summary>
    /// Cuts the pending input into chunks of about <see cref="_chunkBytes"/> ending after a complete record and
    /// hands each to a worker (waiting for the oldest when <see cref="_parallelism"/> are in flight); what stays
    /// pending is less than a chunk or one long record.
    /// </summary>
    private void DispatchChunks()
    {
        int start = 0;
        while (_pendingLength - start >= _chunkBytes)
        {
            var data = _pending.AsSpan(start, _pendingLength - start);
            int cut = RecordEndNear(data, _chunkBytes);
            if (cut <= 0)
                break;
            var lane = _sink.OpenLane();
            if (lane is null)
            {
                _parallelism = 1;   // the sink takes rows on one thread: parse here
                break;
            }
            if (_inFlight.Count >= _parallelism)
                CompleteOldest();
            var chunk = ArrayPool<byte>.Shared.Rent(cut);
            data[..cut].CopyTo(chunk);
            var job = new ChunkJob(chunk, cut, _line, lane);
            _line += data[..cut].Count((byte)'\n');
            _inFlight.Enqueue(job);
            Workers().Add(job);
            start += cut;
        }
        Compact(start);
        if (_parallelism == 1)
            Compact(Parse(final: false));
    }

    /// <summary>
    /// The index just past the newline of the last record ending within the first <paramref name="size"/> bytes
    /// (or of the first record, when it is longer); 0 when no record is complete. A CSV quoted field may hold
    /// newlines: with quotes present, records are walked from the start.
    /// </summary>
    private int RecordEndNear(ReadOnlySpan<byte> data, int size)
    {
        var head = data[..Math.Min(size, data.Length)];
        if (_options.Format != CopyFormat.Csv || head.IndexOf((byte)_options.Quote) < 0)
        {
            int last = head.LastIndexOf((byte)'\n');
            return last >= 0 ? last + 1 : data.IndexOf((byte)'\n') + 1;
        }
        int end = -1, at = 0;
        while (at < data.Length && CsvRecordEnd(data, at, out _) is var recordEnd and >= 0)
        {
            end = recordEnd;
            at = recordEnd + 1;
            if (at >= size)
                break;
        }
        return end + 1;
    }

    private BlockingCollection<ChunkJob> Workers()
    {
        if (_queue is not null)
            return _queue;
        _queue = new BlockingCollection<ChunkJob>(_parallelism);
        _workers = new Thread[_parallelism];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(() => Work(_queue)) { IsBackground = true, Name = "copy-parse" };
            _workers[i].Start();
        }
        return _queue;
    }

    private void Work(BlockingCollection<ChunkJob> queue)
    {
        foreach (var job in queue.GetConsumingEnumerable())
        {
            try
            {
                using var parser = new CopyInParser(_options, job.Lane, _relation, _maxRecordBytes);
                parser.ParseChunk(job);
            }
            catch (Exception e)
            {
                job.Error = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                job.Done.Set();
            }
        }
    }

    /// <summary>Parses a whole chunk (complete records only) into the lane this parser was made with.</summary>
    private void ParseChunk(ChunkJob job)
    {
        ArrayPool<byte>.Shared.Return(_pending);
        _pending = job.Buffer;   // returned to the pool when this parser is disposed
        _pendingLength = job.Length;
        _headerDone = true;
        _line = job.FirstLine;
        Parse(final: false);
        job.Rows = Rows;
        job.Ended = _ended;
    }

    /// <summary>Appends the oldest chunk's rows to the sink, or throws its error after abandoning the rest.</summary>
    private void CompleteOldest()
    {
        var job = _inFlight.Dequeue();
        job.Done.Wait();
        try
        {
            if (job.Error is { } error)
            {
                AbandonChunks();
                error.Throw();
            }
            if (!_ended)
            {
                _sink.AppendLane(job.Lane);
                Rows += job.Rows;
                _ended = job.Ended;   // "\." ends the data: later chunks are dropped
            }
        }
        finally
        {
            Release(job);
        }
    }

    /// <summary>Appends every chunk in flight, in order (before the rest is parsed here).</summary>
    private void CompleteChunks()
    {
        while (_inFlight.Count > 0)
            CompleteOldest();
        StopWorkers();
    }

    /// <summary>Waits for the chunks in flight and drops their rows (the COPY failed or the connection closed).
    /// </summary>
    private void AbandonChunks()
    {
        while (_inFlight.Count > 0)
        {
            var job = _inFlight.Dequeue();
            job.Done.Wait();
            Release(job);
        }
        StopWorkers();
    }

    private static void Release(ChunkJob job)
    {
        job.Lane.DisposeAsync().AsTask().GetAwaiter().GetResult();
        job.Done.Dispose();
    }

    private void StopWorkers()
    {
        if (_queue is null)
            return;
        _queue.CompleteAdding();
        foreach (var worker in _workers!)
            worker.Join();
        _queue.Dispose();
        _queue = null;
        _workers = null;
    }
}
