using Microsoft.Win32.SafeHandles;
using Query.Storage.Log;
using Query.Storage.Native;

namespace Query.Storage.Journal;

/// <summary>
/// The store's shared durable journal (storage/FORMAT.md, "The journal"): a partition writer that wrote a group
/// of batches to its segment hands the same bytes to <see cref="Write"/>, which returns once they are durable in
/// the journal. Writers of every partition share each journal write and fdatasync (group commit across
/// partitions): the first caller finding no write in progress becomes the leader and writes everything queued
/// so far with one <c>pwrite</c> and one <c>fdatasync</c>; callers arriving meanwhile queue behind it and one of
/// them leads the next write. No extra thread. A partition's loop on the thread pool queues with
/// <see cref="WriteOrQueue"/> and awaits instead of blocking (StoreJournal.Waiters.cs). The file is zero-filled as
/// it grows, so a write never changes its size (an fdatasync then flushes data only, no file-system metadata).
/// <para>The segments are synced lazily: at a roll or an adoption, on close, and when the journal is recycled
/// (full, or a truncation or a deleted log asks for <see cref="Checkpoint"/>): every segment written since the
/// epoch began is fdatasynced, then the other header slot names the next epoch, which makes every older record
/// invalid. Recovery (<see cref="JournalReplay"/>) writes the current epoch's records back at their exact file
/// positions before the partitions are scanned.</para>
/// <para>Fault model: a failed journal write, fdatasync or recycle leaves what reached the disk unknown, so the
/// journal fails for good: the write's groups fail, and so do the groups queued for the next write, which is never
/// made (after a failed fdatasync the kernel may have dropped the failed write's pages, and a later write would sit
/// behind a record recovery cannot read), and it takes no record until a reopen recovers the store. A full disk
/// while creating or growing the file fails only the waiting groups, which their writers cut off.</para>
/// </summary>
internal sealed partial class StoreJournal : IDisposable
{
    public const string FileName = "journal";
    private const long InitialGrowBytes = 1 << 20;

    private readonly string _directory;
    private readonly LogStoreOptions _options;
    private readonly object _lock = new();
    private SafeFileHandle? _file;
    private long _capacity;          // file bytes already written (zeros or records): writes below keep its size
    private long _position = JournalFormat.HeaderBytes;
    private long _epoch;
    private byte[] _pending;
    private byte[]? _spare;
    private int _pendingLength;
    private int _roomWaiters;
    private Flush _open = new();
    private bool _flushing;
    private StorageException? _failure;     // the journal failed: it takes no more records
    private HashSet<Segment> _written = [];
    private HashSet<Segment> _writtenSpare = [];
    private bool _disposed;

    private StoreJournal(string directory, LogStoreOptions options, SafeFileHandle? file, long capacity, long epoch)
    {
        _directory = directory;
        _options = options;
        _file = file;
        _capacity = capacity;
        _epoch = epoch;
        _pending = new byte[options.JournalBufferBytes];
        _spare = new byte[options.JournalBufferBytes];
    }

    public int MaxRecordBytes => _options.JournalMaxRecordBytes;

    /// <summary>Journal writes (each one fdatasync) so far.</summary>
    public long SyncCount { get; private set; }

    /// <summary>Records made durable so far (each one group of one partition).</summary>
    public long RecordCount { get; private set; }

    /// <summary>Times the journal was recycled (every segment it covered synced, a new epoch begun).</summary>
    public long RecycleCount { get; private set; }

    /// <summary>Test hook run before each journal write with its file position and length: throw to fail it.</summary>
    internal Action<long, int>? WriteFault { get; set; }

    /// <summary>Test hook run after each journal write's <c>pwrite</c>, before its fdatasync: throw to fail that.
    /// </summary>
    internal Action<long, int>? SyncFault { get; set; }

    /// <summary>Test hook run before the file grows, with the size it grows to: throw to fail the growth.</summary>
    internal Action<long>? GrowFault { get; set; }

    /// <summary>Records queued for the next journal write (tests watch writers queue behind a running one).</summary>
    internal int QueuedRecords
    {
        get
        {
            lock (_lock)
                return _open.Records;
        }
    }

    /// <summary>
    /// Replays the journal left by the last run into the segments (see <see cref="JournalReplay"/>) and begins a
    /// new epoch. With the journal off, a journal found is still replayed, then deleted.
    /// </summary>
    public static StoreJournal? Open(string directory, LogStoreOptions options)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return options.Journal ? new StoreJournal(directory, options, null, 0, 1) : null;
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        try
        {
            var epoch = JournalReplay.Run(directory, file);
            if (!options.Journal)
            {
                file.Dispose();
                DurableFile.Delete(path);
                return null;
            }
            var journal = new StoreJournal(directory, options, file, RandomAccess.GetLength(file), epoch);
            journal.BeginEpoch(epoch + 1);
            return journal;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="data"/>, already written to <paramref name="segment"/> at
    /// <paramref name="filePosition"/>, durable; returns when it is. Throws IOException (a full disk: nothing of it
    /// is durable, the journal keeps working) or <see cref="StorageException"/> (the journal failed).
    /// </summary>
    public void Write(ReadOnlySpan<byte> logName, int partition, Segment segment, long filePosition,
        ReadOnlySpan<byte> data)
    {
        Flush mine;
        Flush? lead = null;
        byte[]? buffer = null;
        var length = 0;
        lock (_lock)
        {
            mine = Queue(logName, partition, segment, filePosition, data);
            while (!mine.Done)
            {
                if (!_flushing && ReferenceEquals(_open, mine))
                {
                    (lead, buffer, length) = TakeLead();
                    break;
                }
                Monitor.Wait(_lock);
            }
        }
        if (lead is not null)
            RunFlush(lead, buffer!, length, recycle: false);
        if (mine.Failure is { } failure)
            throw Failed(failure);
    }

    // Caller holds _lock: waits for room (bounded; when no write runs, writes the queued records itself), then adds
    // the record to the open write.
    private Flush Queue(ReadOnlySpan<byte> logName, int partition, Segment segment, long filePosition,
        ReadOnlySpan<byte> data)
    {
        var size = JournalFormat.RecordSize(logName.Length, data.Length);
        while (_pendingLength + size > _pending.Length)
        {
            ThrowIfFailed();
            if (!_flushing)
            {
                // The queued records' writers may all await (holding no thread to lead them): write them now.
                var (lead, buffer, length) = TakeLead();
                Monitor.Exit(_lock);
                try
                {
                    RunFlush(lead, buffer, length, recycle: false);
                }
                finally
                {
                    Monitor.Enter(_lock);
                }
                continue;
            }
            _roomWaiters++;
            Monitor.Wait(_lock);          // bounded: wait until the leader takes the queued records
            _roomWaiters--;
        }
        ThrowIfFailed();
        JournalFormat.WriteRecord(_pending.AsSpan(_pendingLength, size), logName, partition, segment.BaseOffset,
            filePosition, data);
        _pendingLength += size;
        _written.Add(segment);
        _open.Records++;
        return _open;
    }

    // What a writer of a failed journal write gets: a full disk while the file grows stays an IOException (its
    // group alone fails); a failure of the journal, a StorageException.
    private static Exception Failed(Exception failure) => failure switch
    {
        StorageException broken => new StorageException(broken.Message, broken.InnerException),
        IOException io when StorageFullException.IsDiskFull(io) => new IOException(io.Message, io.HResult),
        _ => new StorageException("the store's journal failed: " + failure.Message, failure),
    };

    // What reached the file is unknown after `exception`: the journal takes no more records. Returns the failure.
    private StorageException Broken(Exception exception)
    {
        lock (_lock)
        {
            return _failure ??= exception as StorageException ?? new StorageException(
                "the store's journal failed and takes no writes until the store is reopened: " + exception.Message,
                exception);
        }
    }

    /// <summary>
    /// Makes everything queued durable, syncs every segment written since the epoch began and begins a new epoch:
    /// no record written before stays valid. Run before a truncation and before a log is deleted, so that no
    /// record can write old bytes over what replaces them.
    /// </summary>
    public void Checkpoint()
    {
        Flush lead;
        byte[] buffer;
        int length;
        lock (_lock)
        {
            while (_flushing)
                Monitor.Wait(_lock);
            ThrowIfFailed();
            (lead, buffer, length) = TakeLead();
        }
        RunFlush(lead, buffer, length, recycle: true);
        if (lead.Failure is { } failure)
        {
            throw Failed(failure) as StorageException
                ?? new StorageException("the store's journal checkpoint failed: " + failure.Message, failure);
        }
    }

    // Caller holds _lock and no flush runs: takes the queued records to write them.
    private (Flush, byte[], int) TakeLead()
    {
        _flushing = true;
        var lead = _open;
        var buffer = _pending;
        var length = _pendingLength;
        _open = new Flush();
        _pending = _spare!;
        _spare = null;
        _pendingLength = 0;
        // Wakes appenders waiting for room, if any; the writers of the records just taken sleep on until the write
        // is done (waking them now only to sleep again cost each a context switch per journal write).
        if (_roomWaiters > 0)
            Monitor.PulseAll(_lock);
        return (lead, buffer, length);
    }

    private void RunFlush(Flush lead, byte[] buffer, int length, bool recycle)
    {
        Exception? failure = null;
        try
        {
            if (length > 0)
                WriteRecords(buffer.AsSpan(0, length), lead.Records);
            if (recycle)
                Recycle();
        }
        catch (Exception exception)
        {
            failure = exception;
        }
        bool leadNext;
        Flush? abandoned = null;
        lock (_lock)
        {
            _spare = buffer;
            _flushing = false;
            lead.Failure = failure;
            lead.Done = true;
            if (_failure is not null && _open.Records > 0)
                abandoned = Abandon();
            leadNext = NeedsLeader();
            Monitor.PulseAll(_lock);
        }
        if (leadNext)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        CompleteWaiters(lead, failure is null ? null : Failed(failure));
        if (abandoned is not null)
            CompleteWaiters(abandoned, Failed(abandoned.Failure!));
    }

    // Caller holds _lock; the journal failed: the records queued for the next write are never written (no leader
    // may take them), and their writers fail now, those blocked in Write as those awaiting.
    private Flush Abandon()
    {
        var abandoned = _open;
        _open = new Flush();
        _pendingLength = 0;
        abandoned.Failure = _failure;
        abandoned.Done = true;
        return abandoned;
    }

    private void WriteRecords(Span<byte> records, int count)
    {
        EnsureRoom(records.Length);
        JournalFormat.Seal(records, _epoch);
        try
        {
            WriteFault?.Invoke(_position, records.Length);
            RandomAccess.Write(_file!, records, _position);
            SyncFault?.Invoke(_position, records.Length);
            FileSync.DataSync(_file!);
        }
        catch (Exception exception)
        {
            // What reached the file is unknown (a full disk too: some of the records may be whole on disk), and the
            // next write would start at the same position, before whatever is left of these: no record may follow.
            throw Broken(exception);
        }
        _position += records.Length;
        SyncCount++;
        RecordCount += count;
    }

    // Room for `length` bytes below the written size: create or grow the file (zeros), or recycle it when it is
    // at its largest. Failing to open a new file, or a full disk while creating or growing it, changes nothing the
    // journal relies on; any other failure breaks the journal.
    private void EnsureRoom(int length)
    {
        if (_file is null)
            Create();
        if (_position + length <= _capacity)
            return;
        if (_capacity < _options.JournalMaxBytes && TryGrow(_position + length))
            return;
        Recycle();
        if (_position + length > _capacity && !TryGrow(_position + length))
            throw new IOException("the journal cannot grow: the disk is full", 28);   // ENOSPC
    }

    private void Create()
    {
        var path = Path.Combine(_directory, FileName);
        var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite);
        try
        {
            Span<byte> header = stackalloc byte[JournalFormat.HeaderBytes];
            header.Clear();
            JournalFormat.WriteSlot(header[(int)(_epoch % 2 * JournalFormat.SlotBytes)..], _epoch);
            RandomAccess.Write(file, header, 0);
            FileSync.DataSync(file);
            FileSync.SyncDirectory(_directory);
        }
        catch (Exception exception)
        {
            file.Dispose();
            File.Delete(path);
            if (exception is IOException io && StorageFullException.IsDiskFull(io))
                throw;
            throw Broken(exception);
        }
        _file = file;
        _capacity = JournalFormat.HeaderBytes;
        _position = JournalFormat.HeaderBytes;
    }

    private bool TryGrow(long needed)
    {
        var target = Math.Max(needed, Math.Max(InitialGrowBytes, _capacity * 2));
        target = Math.Min((target + 4095) & ~4095L, Math.Max(_options.JournalMaxBytes, needed));
        var zeros = new byte[Math.Min(1 << 20, target - _capacity)];
        try
        {
            GrowFault?.Invoke(target);
            for (var at = _capacity; at < target; at += zeros.Length)
                RandomAccess.Write(_file!, zeros.AsSpan(0, (int)Math.Min(zeros.Length, target - at)), at);
            FileSync.DataSync(_file!);
        }
        catch (IOException exception) when (StorageFullException.IsDiskFull(exception))
        {
            return false;
        }
        catch (Exception exception)
        {
            throw Broken(exception);
        }
        _capacity = target;
        return true;
    }

    // Every segment written since the epoch began is synced, then the next epoch is made durable in the other
    // slot: from then on the records of this epoch are invalid, and writing starts again at the head.
    private void Recycle()
    {
        HashSet<Segment> written;
        lock (_lock)
        {
            written = _written;
            _written = _writtenSpare;
        }
        try
        {
            foreach (var segment in written)
            {
                if (!segment.TryAcquire())
                    continue;                 // closed: synced when it was sealed or closed, or deleted
                try
                {
                    segment.Sync();
                }
                finally
                {
                    segment.Release();
                }
            }
            if (_file is not null)
                BeginEpoch(_epoch + 1);
        }
        catch (Exception exception)
        {
            throw Broken(exception);
        }
        written.Clear();
        lock (_lock)
            _writtenSpare = written;
        RecycleCount++;
    }

    private void BeginEpoch(long epoch)
    {
        Span<byte> slot = stackalloc byte[JournalFormat.SlotBytes];
        JournalFormat.WriteSlot(slot, epoch);
        RandomAccess.Write(_file!, slot, epoch % 2 * JournalFormat.SlotBytes);
        FileSync.DataSync(_file!);
        _epoch = epoch;
        _position = JournalFormat.HeaderBytes;
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
            throw new StorageException(failure.Message, failure.InnerException);
        ObjectDisposedException.ThrowIf(_disposed, this);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            while (_flushing)
                Monitor.Wait(_lock);
            _disposed = true;
            _file?.Dispose();
        }
    }

    /// <summary>One journal write: the records appended until its leader took them, the writers that await it
    /// (<see cref="WriteOrQueue"/>), and its outcome.</summary>
    private sealed class Flush
    {
        public int Records;
        public int AwaitedRecords;
        public JournalWaiter? FirstWaiter;
        public JournalWaiter? LastWaiter;
        public bool Done;
        public Exception? Failure;
    }
}
