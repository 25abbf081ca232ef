using Query.Storage.Log;

namespace Query.Storage;

// Roll by age (SegmentMaxAge) counts from the active segment's first append. The checkpoint records when that
// was, so a reopen goes on counting instead of starting again (see storage/FORMAT.md, "Checkpoint").
public sealed partial class PartitionLog
{
    private long _ageRecordedBaseOffset = -1;
    private long _ageRecordedCreatedMs = long.MinValue;

    // Called by the writer after each publish: one compare of two fields, and one checkpoint write per segment
    // whose first append came after the last checkpoint (a roll writes the checkpoint with the age already).
    private void PersistSegmentAgeIfStarted()
    {
        var active = ActiveSegment;
        if (active.CreatedMs == Volatile.Read(ref _ageRecordedCreatedMs)
            && active.BaseOffset == Volatile.Read(ref _ageRecordedBaseOffset))
            return;
        lock (_segmentsLock)
        {
            if (_state != Open || !ReferenceEquals(active, _segments[^1]))
                return;
            try
            {
                WriteCheckpoint();
            }
            catch (IOException)
            {
                // The data is durable already; only the age is lost to a reopen. Not retried on every append.
            }
        }
    }

    // Caller holds _segmentsLock.
    private void NoteSegmentAgePersisted(Segment active)
    {
        Volatile.Write(ref _ageRecordedBaseOffset, active.BaseOffset);
        Volatile.Write(ref _ageRecordedCreatedMs, active.CreatedMs);
    }
}
