namespace Query.Tiering.Manifest;

/// <summary>
/// Which manifest generations open readers still hold, and the cold files waiting for them to let go. A file
/// that compaction replaced at generation G is named by no manifest from G on, but a reader that took an older
/// manifest may still open or read it: it is deleted only once no reader holds a generation below G. Readers pin
/// and release under the same lock that decides deletion, so no reader can take a snapshot that names a file
/// after the file was judged free. A crash forgets the waiting files; start-up removes them (no manifest names
/// them).
/// </summary>
internal sealed class ManifestPins(Action<string>? beforeDelete = null)
{
    private readonly object _lock = new();
    private readonly SortedDictionary<long, int> _readers = new();
    private readonly List<(long Generation, string[] Paths)> _retired = [];

    /// <summary>Pins the manifest <paramref name="current"/> returns, read under the lock.</summary>
    public TierManifest Pin(Func<TierManifest> current)
    {
        lock (_lock)
        {
            var manifest = current();
            _readers[manifest.Generation] = _readers.GetValueOrDefault(manifest.Generation) + 1;
            return manifest;
        }
    }

    public void Release(long generation)
    {
        List<string>? free;
        lock (_lock)
        {
            if (_readers[generation] == 1)
                _readers.Remove(generation);
            else
                _readers[generation]--;
            free = TakeFree();
        }
        Delete(free);
    }

    /// <summary>Files no manifest names from <paramref name="generation"/> on: deleted once no older reader holds
    /// them (at once when none does).</summary>
    public void Retire(long generation, string[] paths)
    {
        List<string>? free;
        lock (_lock)
        {
            _retired.Add((generation, paths));
            free = TakeFree();
        }
        Delete(free);
    }

    /// <summary>Files retired but still held by a reader (for tests and statistics).</summary>
    public int WaitingFiles
    {
        get
        {
            lock (_lock)
            {
                var count = 0;
                foreach (var (_, paths) in _retired)
                    count += paths.Length;
                return count;
            }
        }
    }

    private List<string>? TakeFree()
    {
        var oldest = long.MaxValue;
        foreach (var generation in _readers.Keys)
        {
            oldest = generation;
            break;
        }
        List<string>? free = null;
        for (var i = _retired.Count - 1; i >= 0; i--)
        {
            if (oldest < _retired[i].Generation)
                continue;           // a reader still holds a manifest that names these files
            (free ??= []).AddRange(_retired[i].Paths);
            _retired.RemoveAt(i);
        }
        return free;
    }

    private void Delete(List<string>? paths)
    {
        if (paths is null)
            return;
        foreach (var path in paths)
        {
            beforeDelete?.Invoke(path);         // the open-file cache lets go of it
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Named by no manifest: PartitionTier.Open removes it at the next start.
            }
        }
    }
}
