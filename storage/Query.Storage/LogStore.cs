using System.Diagnostics.CodeAnalysis;
using Query.Storage.Journal;
using Query.Storage.Log;
using Query.Storage.Native;
using Query.Storage.Recovery;
using Query.Storage.Transactions;

namespace Query.Storage;

/// <summary>
/// The root of the storage layer: a data directory holding named logs, each a directory with
/// <c>log.options</c> and one subdirectory per partition (see storage/FORMAT.md). Opening the store recovers
/// every log. Create and delete are atomic by rename: a log is built in <c>.tmp-*</c> and renamed into place;
/// a deleted log is renamed to <c>.trash-*</c> before its files are removed. Leftovers are cleaned on open.
/// </summary>
public sealed class LogStore : IDisposable, IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, PartitionedLog> _logs = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TransactionCoordinator _coordinator;
    private StoreJournal? _journal;
    private bool _appenderWritesIdlePartition;
    private bool _disposed;

    private LogStore(string directory, TimeProvider time, TransactionCoordinator coordinator)
    {
        Directory = directory;
        _time = time;
        _coordinator = coordinator;
    }

    public string Directory { get; }

    public IReadOnlyList<string> LogNames
    {
        get
        {
            lock (_lock)
            {
                var names = new List<string>(_logs.Keys);
                names.Sort(StringComparer.Ordinal);
                return names;
            }
        }
    }

    public static LogStore Open(string directory, TimeProvider? timeProvider = null) =>
        Open(directory, new LogStoreOptions(), timeProvider);

    /// <summary>Opens (recovers) the store in <paramref name="directory"/> with store-wide settings.</summary>
    public static LogStore Open(string directory, LogStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var root = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(root);
        // Commit records first: they finish staged shares' renames before partition recovery deletes *.tmp.
        var store = new LogStore(root, timeProvider ?? TimeProvider.System, TransactionCoordinator.Open(root));
        try
        {
            // Then the journal: its records go back into the segments before any partition is scanned.
            store._journal = StoreJournal.Open(root, options);
            store._appenderWritesIdlePartition = options.AppenderWritesIdlePartition;
            foreach (var path in System.IO.Directory.EnumerateDirectories(root))
            {
                var name = Path.GetFileName(path);
                if (name.StartsWith(".tmp-", StringComparison.Ordinal)
                    || name.StartsWith(".trash-", StringComparison.Ordinal))
                    System.IO.Directory.Delete(path, recursive: true);
                else if (IsValidName(name) && File.Exists(Path.Combine(path, LogOptionsFile.FileName)))
                    store._logs[name] = store.OpenLog(name, path, LogOptionsFile.Read(path));
            }
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return store;
    }

    /// <summary>Creates a log with its partitions; throws <see cref="LogAlreadyExistsException"/>.</summary>
    public PartitionedLog CreateLog(string name, LogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsValidName(name))
            throw new ArgumentException(
                "a log name is 1 to 200 characters of letters, digits, '.', '_' and '-', not starting with '.'",
                nameof(name));
        options.Validate();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_logs.ContainsKey(name))
                throw new LogAlreadyExistsException(name);
            var temporary = Path.Combine(Directory, ".tmp-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(temporary);
            LogOptionsFile.Write(temporary, options);
            for (var p = 0; p < options.Partitions; p++)
                System.IO.Directory.CreateDirectory(Path.Combine(temporary,
                    p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var path = Path.Combine(Directory, name);
            System.IO.Directory.Move(temporary, path);
            FileSync.SyncDirectory(Directory);
            var log = OpenLog(name, path, options);
            _logs[name] = log;
            return log;
        }
    }

    /// <summary>Starts an append across any partitions of this store's logs that is visible whole or not at
    /// all (see <see cref="LogTransaction"/>).</summary>
    public LogTransaction BeginTransaction()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new LogTransaction(_coordinator);
    }

    /// <summary>The store's transaction coordinator (tests watch its fsyncs and inject faults).</summary>
    internal TransactionCoordinator Coordinator => _coordinator;

    /// <summary>The store's shared journal, or null when <see cref="LogStoreOptions.Journal"/> is off.</summary>
    internal StoreJournal? Journal => _journal;

    public bool TryGetLog(string name, [NotNullWhen(true)] out PartitionedLog? log)
    {
        lock (_lock)
            return _logs.TryGetValue(name, out log);
    }

    /// <summary>Deletes a log and its files; pending appends and waiters get <see
    /// cref="LogDeletedException"/>.</summary>
    public void DeleteLog(string name)
    {
        // Held throughout so a CreateLog of the same name cannot race the directory rename. Closing only
        // waits for the log's writers, which never take this lock.
        lock (_lock)
        {
            if (!_logs.Remove(name, out var log))
                throw new LogNotFoundException(name);
            log.CloseAsync(delete: true).GetAwaiter().GetResult();
            // No journal record may name the log any more: a log created later under its name must not get them.
            _journal?.Checkpoint();
            var trash = Path.Combine(Directory, ".trash-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.Move(log.Directory, trash);
            FileSync.SyncDirectory(Directory);
            System.IO.Directory.Delete(trash, recursive: true);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Closes every log cleanly: drains the writers, fsyncs, writes checkpoints.</summary>
    public async ValueTask DisposeAsync()
    {
        PartitionedLog[] logs;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            logs = [.. _logs.Values];
            _logs.Clear();
        }
        var failed = false;
        foreach (var log in logs)
        {
            await log.CloseAsync(delete: false).ConfigureAwait(false);
            failed |= log.HasFailedPartition;
        }
        // Every segment is synced now (sealed ones when sealed, active ones by the close): the journal's records
        // are no longer needed, so a new epoch voids them and the next open replays nothing. After a partition
        // failed they stay, for recovery.
        if (!failed)
            TryEndJournal();
        _journal?.Dispose();
        _coordinator.Dispose();
    }

    private void TryEndJournal()
    {
        try
        {
            _journal?.Checkpoint();
        }
        catch (StorageException)
        {
            // The records stay valid: the next open replays them, which is harmless.
        }
    }

    private PartitionedLog OpenLog(string name, string path, LogOptions options)
    {
        var partitions = new PartitionLog[options.Partitions];
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            for (var p = 0; p < partitions.Length; p++)
            {
                var directory = Path.Combine(path, p.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var segments = PartitionRecovery.Recover(directory, options, nowMs, _coordinator.RecordedEnd(name, p));
                partitions[p] = new PartitionLog(name, p, directory, options, _time, segments, _coordinator,
                    options.Durability == DurabilityMode.Sync ? _journal : null, _appenderWritesIdlePartition);
                partitions[p].EnforceRetention(nowMs);
            }
        }
        catch
        {
            foreach (var partition in partitions)
                partition?.CloseAsync(delete: false).GetAwaiter().GetResult();
            throw;
        }
        return new PartitionedLog(name, options, path, partitions, _coordinator);
    }

    internal static bool IsValidName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 200 || name[0] == '.')
            return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                return false;
        }
        return true;
    }
}
