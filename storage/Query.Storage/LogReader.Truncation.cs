namespace Query.Storage;

// Truncation (PartitionLog.TruncateAfterAsync) changes files under a reader. The partition's truncation sequence
// is odd while one runs and is bumped before any file changes, so a batch loaded while the sequence stayed as
// this reader last saw it was read before any truncation began (a seqlock): one volatile read per batch.
public sealed partial class LogReader
{
    private int _truncationSequence;

    private bool TryLoadBatchChecked(Log.Segment segment, long sizeBytes)
    {
        bool loaded;
        try
        {
            loaded = TryLoadBatchAt(segment, sizeBytes);
        }
        catch (CorruptSegmentException) when (_partition.TruncationSequence != _truncationSequence)
        {
            loaded = false;                     // the file was cut under the read: not damage
        }
        return !NoticedTruncation() && loaded;
    }

    private bool NoticedTruncation()
    {
        if (_partition.TruncationSequence == _truncationSequence)
            return false;
        OnTruncated();
        return true;
    }

    // Drops what was loaded from the old files and looks the segment up again, or gives up when records this
    // reader returned were removed.
    private void OnTruncated()
    {
        var sequence = _partition.TruncationSequence;
        var spin = new SpinWait();
        while ((sequence & 1) != 0)
        {
            spin.SpinOnce(sleep1Threshold: 10);     // a truncation is running: it takes a few fsyncs
            sequence = _partition.TruncationSequence;
        }
        var lowestEnd = _partition.LowestTruncationEndSince(_truncationSequence);
        _truncationSequence = sequence;
        ReleaseSegment();
        _bufferLength = 0;
        if (NextOffset > lowestEnd)
            throw new LogTruncatedException(_partition.LogName, _partition.Partition, NextOffset,
                lowestEnd == long.MinValue ? _partition.EndOffset : lowestEnd);
    }
}
