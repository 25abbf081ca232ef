namespace Query.Storage.Sealing;

/// <summary>The watches of one partition. Posting is lock-free over a copy-on-write array: the writer thread
/// posts, any thread adds or removes a watch.</summary>
internal sealed class SealedSegmentFeed
{
    private readonly object _lock = new();
    private SealedSegmentWatch[] _watches = [];
    private Exception? _completion;
    private bool _completed;

    public SealedSegmentWatch Watch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var watch = new SealedSegmentWatch(this, capacity);
        lock (_lock)
        {
            if (_completed)
                watch.Complete(_completion);
            else
                _watches = [.. _watches, watch];
        }
        return watch;
    }

    public void Post(SealedSegment segment)
    {
        foreach (var watch in Volatile.Read(ref _watches))
            watch.Post(segment);
    }

    public void Remove(SealedSegmentWatch watch)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_watches, watch);
            if (index >= 0)
                _watches = [.. _watches[..index], .. _watches[(index + 1)..]];
        }
    }

    /// <summary>Ends every watch, now and later (the partition closed or was deleted).</summary>
    public void Complete(Exception? error)
    {
        SealedSegmentWatch[] watches;
        lock (_lock)
        {
            _completed = true;
            _completion = error;
            watches = _watches;
            _watches = [];
        }
        foreach (var watch in watches)
            watch.Complete(error);
    }
}
