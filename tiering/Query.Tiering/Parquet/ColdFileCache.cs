using Parquet;
using Parquet.Schema;

namespace Query.Tiering.Parquet;

/// <summary>
/// A cold file opened for reading: the file handle and its parsed footer (row groups, statistics, schema), which
/// a query would otherwise read and parse again every time it opens the file.
/// </summary>
internal sealed class ColdOpenFile : IAsyncDisposable
{
    private ColdOpenFile(string path, long sizeBytes, ParquetReader reader)
    {
        Path = path;
        SizeBytes = sizeBytes;
        Reader = reader;
        Schema = reader.Schema;
        FieldNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in Schema.Fields)
            FieldNames.Add(field.Name);
    }

    public string Path { get; }
    public long SizeBytes { get; }
    public ParquetReader Reader { get; }
    public ParquetSchema Schema { get; }

    /// <summary>The file's top-level column names (a file written before ADD COLUMN lacks the newer ones).</summary>
    public HashSet<string> FieldNames { get; }

    /// <summary>The cache's eviction count when the file was taken out of it (<see cref="ColdFileCache.ReturnAsync"/>
    /// keeps it only if no eviction happened since).</summary>
    internal long TakenAtEviction { get; set; }

    public static async Task<ColdOpenFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            64 * 1024);
        try
        {
            var reader = await ParquetReader.CreateAsync(stream, null, false, cancellationToken).ConfigureAwait(false);
            return new ColdOpenFile(path, stream.Length, reader);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Reader.DisposeAsync();
}

/// <summary>
/// Cold files kept open between queries, at most <see cref="Capacity"/> (least recently used closed first), so a
/// query that reads one file of a large tier pays neither the open nor the footer's parse. A file is in the cache
/// only while no reader uses it (taken out, given back). Files are immutable under their names until they are
/// deleted; whoever deletes a cold file (compaction's retired files, expiry, a dropped stream) evicts it first,
/// and a file given back after any eviction since it was taken is closed rather than kept, so the cache never
/// holds a deleted file's handle (or its disk space) nor hands out one whose name was reused. Thread-safe.
/// </summary>
public sealed class ColdFileCache
{
    /// <summary>Files kept open by default.</summary>
    public const int DefaultCapacity = 64;

    private readonly object _lock = new();
    private readonly LinkedList<ColdOpenFile> _idle = new();         // most recently returned first
    private readonly Dictionary<string, List<LinkedListNode<ColdOpenFile>>> _byPath = new(StringComparer.Ordinal);
    private long _evictions;

    public ColdFileCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    /// <summary>Open files kept at most; 0 keeps none (every read opens its file).</summary>
    public int Capacity { get; }

    /// <summary>Files open in the cache now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _idle.Count;
        }
    }

    /// <summary>Reads that found their file open (for tests and statistics).</summary>
    public long Hits { get; private set; }

    /// <summary>An open file of <paramref name="path"/> whose size is <paramref name="sizeBytes"/>, taken out of the
    /// cache, or a newly opened one.</summary>
    internal async ValueTask<ColdOpenFile> TakeAsync(string path, long sizeBytes, CancellationToken cancellationToken)
    {
        ColdOpenFile? stale = null;
        long evictions;
        lock (_lock)
        {
            evictions = _evictions;         // before the open: an eviction meanwhile keeps it out of the cache
            if (_byPath.TryGetValue(path, out var nodes))
            {
                var node = nodes[^1];
                Remove(node);
                if (node.Value.SizeBytes == sizeBytes)
                {
                    Hits++;
                    node.Value.TakenAtEviction = _evictions;
                    return node.Value;
                }
                stale = node.Value;         // another file under that name: never read it
            }
        }
        if (stale is not null)
            await stale.DisposeAsync().ConfigureAwait(false);
        var opened = await ColdOpenFile.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        opened.TakenAtEviction = evictions;
        return opened;
    }

    /// <summary>Gives a file back after a read; closes it instead when the cache is full or anything was evicted
    /// since it was taken.</summary>
    internal ValueTask ReturnAsync(ColdOpenFile file)
    {
        ColdOpenFile? close = file;
        lock (_lock)
        {
            if (Capacity > 0 && file.TakenAtEviction == _evictions)
            {
                var node = _idle.AddFirst(file);
                if (!_byPath.TryGetValue(file.Path, out var nodes))
                    _byPath[file.Path] = nodes = [];
                nodes.Add(node);
                close = null;
                if (_idle.Count > Capacity)
                {
                    close = _idle.Last!.Value;
                    Remove(_idle.Last);
                }
            }
        }
        return close?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>Closes the cached files of <paramref name="path"/> (about to be deleted); files in use are closed
    /// when given back.</summary>
    public void Evict(string path) => EvictWhere(p => string.Equals(p, path, StringComparison.Ordinal));

    /// <summary>Closes every cached file under <paramref name="folder"/> (a dropped stream's).</summary>
    public void EvictUnder(string folder)
    {
        var prefix = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        EvictWhere(p => p.StartsWith(prefix, StringComparison.Ordinal));
    }

    private void EvictWhere(Func<string, bool> match)
    {
        var close = new List<LinkedListNode<ColdOpenFile>>();
        lock (_lock)
        {
            _evictions++;
            foreach (var (path, nodes) in _byPath)
            {
                if (match(path))
                    close.AddRange(nodes);
            }
            foreach (var node in close)
                Remove(node);
        }
        foreach (var node in close)
            node.Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private void Remove(LinkedListNode<ColdOpenFile> node)
    {
        _idle.Remove(node);
        var nodes = _byPath[node.Value.Path];
        nodes.Remove(node);
        if (nodes.Count == 0)
            _byPath.Remove(node.Value.Path);
    }
}
