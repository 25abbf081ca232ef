using System.Threading.Channels;

namespace Query.Storage.Sealing;

/// <summary>
/// A bounded queue of segment-sealed notices of one partition, from the moment it was created. The writer
/// never waits for a consumer: when the queue is full the watch ends with
/// <see cref="SealedSegmentsMissedException"/> instead of dropping a notice silently. The reader completes
/// when the partition closes or its log is deleted (then with <see cref="LogDeletedException"/>), or on dispose.
/// <para>To miss nothing across restarts: create the watch, then enumerate
/// <see cref="PartitionLog.GetSealedSegments"/>, then read the watch, skipping segments already handled (a
/// segment sealed in between is seen twice).</para>
/// </summary>
public sealed class SealedSegmentWatch : IDisposable
{
    /// <summary>Notices one watch holds at most, unless asked for fewer.</summary>
    public const int DefaultCapacity = 1024;

    private readonly SealedSegmentFeed _feed;
    private readonly Channel<SealedSegment> _queue;

    internal SealedSegmentWatch(SealedSegmentFeed feed, int capacity)
    {
        _feed = feed;
        Capacity = capacity;
        _queue = Channel.CreateBounded<SealedSegment>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
    }

    public int Capacity { get; }

    public ChannelReader<SealedSegment> Reader => _queue.Reader;

    public void Dispose()
    {
        _feed.Remove(this);
        _queue.Writer.TryComplete();
    }

    internal void Post(SealedSegment segment)
    {
        if (!_queue.Writer.TryWrite(segment))
        {
            _feed.Remove(this);
            _queue.Writer.TryComplete(new SealedSegmentsMissedException(segment.LogName, segment.Partition, Capacity));
        }
    }

    internal void Complete(Exception? error) => _queue.Writer.TryComplete(error);
}
