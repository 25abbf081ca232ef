using System.Globalization;
using Query.Storage.Native;

namespace Query.Storage.Transactions;

/// <summary>
/// Commits multi-partition transactions for one store (see storage/FORMAT.md, "Transactions"):
/// <list type="number">
/// <item>hands every share to its partition's writer, all under one lock, so every partition meets
/// transactions in the same order and no two transactions can wait on each other's partitions;</item>
/// <item>each writer writes its share durably without publishing it, and holds the partition;</item>
/// <item>once every share is prepared, one commit record naming them all is appended to the store's
/// <c>transactions</c> file and fdatasynced (concurrent transactions share the write and the fsync): the commit
/// point;</item>
/// <item>every writer publishes its share (or, if any share failed, removes it) and goes on.</item>
/// </list>
/// Recovery keeps a partition's trailing pending batches only up to the end offset the last record names for
/// it, and finishes the renames of staged shares the records list.
/// </summary>
internal sealed class TransactionCoordinator : IDisposable
{
    // The file is rewritten down to one record per partition once it is larger than this.
    private const long CompactAboveBytes = 1 << 20;

    private readonly string _directory;
    private readonly object _enqueueLock = new();
    private readonly object _fileLock = new();
    private readonly object _queueLock = new();
    private readonly object _endsLock = new();      // guards _recordedEnds: writers read it while a record syncs
    private readonly List<RecordRequest> _queue = [];
    private readonly Dictionary<(string Log, int Partition), long> _recordedEnds;
    private CommitRecordFile _file;
    private volatile Exception? _failure;
    private int _publishing;   // transactions whose record is written and whose shares are not all published

    private TransactionCoordinator(string directory, CommitRecordFile file,
        Dictionary<(string, int), long> recordedEnds)
    {
        _directory = directory;
        _file = file;
        _recordedEnds = recordedEnds;
    }

    /// <summary>Committed multi-partition transactions so far (tests and benchmarks).</summary>
    internal long CommitCount { get; private set; }

    /// <summary>fsyncs of the commit record file so far (shared by concurrent commits).</summary>
    internal long SyncCount { get; private set; }

    /// <summary>Test hook run before each record write: throw an IOException to simulate a failure.</summary>
    internal Action? WriteFault { get; set; }

    /// <summary>Test hook run after records are durable, before any share is published (crash tests copy the
    /// files there).</summary>
    internal Action? AfterRecordWrite { get; set; }

    /// <summary>
    /// Reads the commit records, finishes the renames of staged shares a crash cut short, and compacts the file.
    /// Runs before any partition is recovered (which deletes temporary files the renames still need).
    /// </summary>
    public static TransactionCoordinator Open(string directory)
    {
        var file = CommitRecordFile.Open(directory, out var entries);
        try
        {
            var ends = new Dictionary<(string, int), long>();
            foreach (var entry in entries)
            {
                if (!System.IO.Directory.Exists(Path.Combine(directory, entry.Log)))
                {
                    ends.Remove((entry.Log, entry.Partition));   // the log was deleted since
                    continue;
                }
                RollForward(directory, entry);
                ends[(entry.Log, entry.Partition)] = entry.EndOffset;
            }
            if (entries.Count > 0)
                file = CommitRecordFile.Rewrite(directory, file, ToEntries(ends));
            return new TransactionCoordinator(directory, file, ends);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The end offset the last commit record names for the partition, or <see cref="long.MinValue"/>.
    /// </summary>
    public long RecordedEnd(string log, int partition)
    {
        lock (_endsLock)
            return _recordedEnds.TryGetValue((log, partition), out var end) ? end : long.MinValue;
    }

    /// <summary>
    /// Called by a writer before it writes a pending share at <paramref name="offset"/>: if a record names a
    /// later end for the partition (its log was truncated, or deleted and created again), a record lowering it
    /// is made durable first, so recovery cannot mistake the new share for a committed one.
    /// </summary>
    public void EnsureRecordedEndAtMost(PartitionLog partition, long offset)
    {
        if (RecordedEnd(partition.LogName, partition.Partition) <= offset)
            return;
        try
        {
            WriteRecord(new RecordRequest([new CommitRecordFile.Entry(partition.LogName, partition.Partition, offset,
                [])], sync: true, countsAsCommit: false), queued: null);
        }
        catch (RecordWriteException exception)
        {
            throw exception.InnerException!;
        }
    }

    /// <summary>Commits the shares of one transaction (two or more partitions) all or nothing.</summary>
    public async Task CommitAsync(IReadOnlyList<TransactionShare> shares)
    {
        if (_failure is { } failed)
            throw Failed(failed);
        lock (_enqueueLock)
        {
            foreach (var share in shares)
                share.Partition.EnqueuePending(share);
        }
        var failure = await AwaitAllAsync(shares, static share => share.Prepared).ConfigureAwait(false);
        List<RecordRequest> dependencies = [];
        if (failure is null)
            (failure, dependencies) = await AwaitPredecessorsAsync(shares).ConfigureAwait(false);
        var decision = failure is null ? ShareDecision.Commit : ShareDecision.Abort;
        if (failure is null)
            failure = TryWriteCommitRecord(shares, dependencies, ref decision);
        foreach (var share in shares)
            share.SetRecordQueued(false);   // no effect once queued
        foreach (var share in shares)
            share.Decide(decision);
        var publishFailure = await AwaitAllAsync(shares, static share => share.Completed).ConfigureAwait(false);
        if (decision == ShareDecision.Commit)
        {
            Interlocked.Decrement(ref _publishing);
            CompactIfLarge();
            if (publishFailure is not null)
                throw new StorageException("the transaction committed, but a partition failed while publishing its " +
                    "share; the share becomes visible when the store is reopened: " + publishFailure.Message,
                    publishFailure);
            return;
        }
        throw failure!;
    }

    public void Dispose()
    {
        lock (_fileLock)
            _file.Dispose();
    }

    private Exception? TryWriteCommitRecord(IReadOnlyList<TransactionShare> shares,
        List<RecordRequest> dependencies, ref ShareDecision decision)
    {
        var entries = new List<CommitRecordFile.Entry>(shares.Count);
        var sync = false;
        foreach (var share in shares)
        {
            var partition = share.Partition;
            entries.Add(new CommitRecordFile.Entry(partition.LogName, partition.Partition,
                share.BaseOffset + share.RecordCount, share.Renames));
            sync |= partition.Options.Durability != DurabilityMode.None;
        }
        try
        {
            WriteRecord(new RecordRequest(entries, sync, countsAsCommit: true) { Dependencies = dependencies },
                request =>
                {
                    foreach (var share in shares)
                    {
                        share.Record = request;
                        share.SetRecordQueued(true);
                    }
                });
            return null;
        }
        catch (RecordWriteException exception)
        {
            decision = exception.Uncertain ? ShareDecision.Abandon : ShareDecision.Abort;
            return exception.InnerException;
        }
    }

    // Appends the record together with any queued by concurrent commits: whoever takes the file lock first
    // writes and syncs them all (group commit). `queued` runs once the record has its place in the queue.
    private void WriteRecord(RecordRequest request, Action<RecordRequest>? queued)
    {
        lock (_queueLock)
            _queue.Add(request);
        queued?.Invoke(request);
        lock (_fileLock)
        {
            if (!request.Done)
                WriteQueued();
        }
        if (request.Error is { } error)
            throw error;
    }

    // Caller holds _fileLock.
    private void WriteQueued()
    {
        RecordRequest[] requests;
        lock (_queueLock)
        {
            requests = [.. _queue];
            _queue.Clear();
        }
        var records = new List<IReadOnlyCollection<CommitRecordFile.Entry>>(requests.Length);
        var sync = false;
        foreach (var request in requests)
        {
            // A record whose predecessor's failed (in an earlier write, or just now) fails too: in queue order.
            if (request.Dependencies.Exists(static d => d.Error is not null))
            {
                request.Error = new RecordWriteException(new StorageException("an earlier transaction written " +
                    "together with this one into a partition failed, so this one is rolled back too"), false);
                continue;
            }
            records.Add(request.Entries);
            sync |= request.Sync;
        }
        RecordWriteException? error = null;
        if (records.Count > 0)
        {
            error = _failure is { } failed
                ? new RecordWriteException(Failed(failed), uncertain: false)
                : TryAppend(records, sync);
        }
        foreach (var request in requests)
        {
            request.Done = true;
            if (request.Error is not null)
                continue;
            request.Error = error;
            if (error is not null)
                continue;
            lock (_endsLock)
            {
                foreach (var entry in request.Entries)
                    _recordedEnds[(entry.Log, entry.Partition)] = entry.EndOffset;
            }
            if (request.CountsAsCommit)
            {
                Interlocked.Increment(ref _publishing);
                CommitCount++;
            }
        }
    }

    private RecordWriteException? TryAppend(List<IReadOnlyCollection<CommitRecordFile.Entry>> records, bool sync)
    {
        var uncertain = false;
        try
        {
            WriteFault?.Invoke();
            _file.Append(records, sync, out uncertain);
            if (sync)
                SyncCount++;
            AfterRecordWrite?.Invoke();
            return null;
        }
        catch (IOException exception)
        {
            if (uncertain)
            {
                _failure = exception;
                return new RecordWriteException(Failed(exception), uncertain: true);
            }
            return new RecordWriteException(StorageFullException.IsDiskFull(exception)
                ? new StorageFullException(_directory, exception)
                : new StorageException("writing the transaction's commit record failed: " + exception.Message,
                    exception), uncertain: false);
        }
    }

    private void CompactIfLarge()
    {
        lock (_fileLock)
        {
            if (_file.SizeBytes <= CompactAboveBytes || Volatile.Read(ref _publishing) != 0 || _failure is not null)
                return;
            try
            {
                List<CommitRecordFile.Entry> entries;
                lock (_endsLock)
                    entries = ToEntries(_recordedEnds);
                _file = CommitRecordFile.Rewrite(_directory, _file, entries);
            }
            catch (IOException)
            {
                // The old file is still whole and in use; compaction is tried again after a later commit.
            }
        }
    }

    private static async Task<Exception?> AwaitAllAsync(IReadOnlyList<TransactionShare> shares,
        Func<TransactionShare, Task> select)
    {
        Exception? first = null;
        foreach (var share in shares)
        {
            try
            {
                await select(share).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                first ??= exception;
            }
        }
        return first;
    }

    // A share prepared behind another transaction's share in one partition write commits only if that one does:
    // its offsets follow it, and a cut of the earlier one cuts this one too. So its record waits until that one's
    // is queued (then it is written in the same write or a later one, and fails if that one's failed).
    private static async Task<(Exception?, List<RecordRequest>)> AwaitPredecessorsAsync(
        IReadOnlyList<TransactionShare> shares)
    {
        var dependencies = new List<RecordRequest>();
        foreach (var share in shares)
        {
            if (share.Predecessor is not { } predecessor)
                continue;
            if (!await predecessor.RecordQueued.ConfigureAwait(false))
                return (new StorageException($"an earlier transaction written together with this one into " +
                    $"partition {share.Partition.Partition} of log \"{share.Partition.LogName}\" failed, so this " +
                    "one is rolled back too"), dependencies);
            dependencies.Add((RecordRequest)predecessor.Record!);
        }
        return (null, dependencies);
    }

    private static void RollForward(string directory, CommitRecordFile.Entry entry)
    {
        if (entry.Renames.Count == 0)
            return;
        var partitionDirectory = Path.Combine(directory, entry.Log,
            entry.Partition.ToString(CultureInfo.InvariantCulture));
        var moved = false;
        foreach (var (from, to) in entry.Renames)
        {
            if (from.Contains('/') || to.Contains('/') || from.Contains('\\') || to.Contains('\\'))
                throw new CorruptSegmentException(Path.Combine(directory, CommitRecordFile.FileName), 0,
                    $"malformed rename \"{from}\" -> \"{to}\"");
            var source = Path.Combine(partitionDirectory, from);
            if (!File.Exists(source))
                continue;
            File.Move(source, Path.Combine(partitionDirectory, to), overwrite: true);
            moved = true;
        }
        if (moved)
            FileSync.SyncDirectory(partitionDirectory);
    }

    private static List<CommitRecordFile.Entry> ToEntries(Dictionary<(string Log, int Partition), long> ends)
    {
        var entries = new List<CommitRecordFile.Entry>(ends.Count);
        foreach (var ((log, partition), end) in ends)
            entries.Add(new CommitRecordFile.Entry(log, partition, end, []));
        return entries;
    }

    private static StorageException Failed(Exception failure) => new(
        "a transaction's commit record could not be made durable, so its outcome is known only after the store " +
        "is reopened; multi-partition transactions are refused until then: " + failure.Message, failure);

    private sealed class RecordRequest(IReadOnlyCollection<CommitRecordFile.Entry> entries, bool sync,
        bool countsAsCommit)
    {
        public List<RecordRequest> Dependencies { get; init; } = [];
        public IReadOnlyCollection<CommitRecordFile.Entry> Entries { get; } = entries;
        public bool Sync { get; } = sync;
        public bool CountsAsCommit { get; } = countsAsCommit;
        public bool Done { get; set; }
        public RecordWriteException? Error { get; set; }
    }

    private sealed class RecordWriteException(Exception inner, bool uncertain) : Exception(inner.Message, inner)
    {
        public bool Uncertain { get; } = uncertain;
    }
}
