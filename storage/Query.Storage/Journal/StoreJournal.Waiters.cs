using Query.Storage.Log;

namespace Query.Storage.Journal;

// Writers that await a journal write instead of blocking a thread on it: a partition's loop on the thread pool.
// Blocked there, partitions' loops held the few threads of a 2-vCPU pool while one fdatasync ran, so other records
// (and their appenders' next appends) reached the journal later: bench storage-journal-share, pool tasks, 1.69-1.76
// groups per write blocked against 1.85-2.00 awaiting (load 28-52).
// Such a writer queues its record; if no write runs it leads one at once, as Write does, else its waiter completes
// when the write that takes its record is done. A write whose records are all awaited has no blocked writer to
// lead it: whoever finishes the write before it queues a work item that leads it (the next write starts as soon
// as the disk is free, with whatever was queued by then).
internal sealed partial class StoreJournal : IThreadPoolWorkItem
{
    private bool _leadScheduled;

    /// <summary>
    /// As <see cref="Write"/>, for a writer that must not hold its thread while a write led by another runs: when no
    /// write runs, the caller leads one and returns true once the record is durable (or throws as Write does).
    /// Otherwise the record joins the next write and false is returned; <paramref name="waiter"/> completes once that
    /// write is done, with its <see cref="JournalWaiter.Failure"/> set to what Write would have thrown.
    /// </summary>
    public bool WriteOrQueue(ReadOnlySpan<byte> logName, int partition, Segment segment, long filePosition,
        ReadOnlySpan<byte> data, JournalWaiter waiter)
    {
        Flush lead;
        byte[] buffer;
        int length;
        lock (_lock)
        {
            var mine = Queue(logName, partition, segment, filePosition, data);
            if (_flushing)
            {
                waiter.Arm();
                if (mine.LastWaiter is { } last)
                    last.Next = waiter;
                else
                    mine.FirstWaiter = waiter;
                mine.LastWaiter = waiter;
                mine.AwaitedRecords++;
                return false;
            }
            (lead, buffer, length) = TakeLead();
        }
        RunFlush(lead, buffer, length, recycle: false);
        if (lead.Failure is { } failure)
            throw Failed(failure);
        return true;
    }

    // Caller holds _lock and a write just ended: the open write needs a leader when it has records and every one
    // is awaited (a blocked writer of it would lead it itself when woken), unless one is scheduled already.
    private bool NeedsLeader()
    {
        if (_leadScheduled || _open.Records == 0 || _open.Records != _open.AwaitedRecords)
            return false;
        _leadScheduled = true;
        return true;
    }

    // Leads the open write, unless a writer took it first (that write's end schedules the next if needed).
    void IThreadPoolWorkItem.Execute()
    {
        Flush lead;
        byte[] buffer;
        int length;
        lock (_lock)
        {
            _leadScheduled = false;
            if (_flushing || _open.Records == 0)
                return;
            (lead, buffer, length) = TakeLead();
        }
        RunFlush(lead, buffer, length, recycle: false);
    }

    // In queue order; a waiter may be reused by its writer as soon as it is completed.
    private static void CompleteWaiters(Flush done, Exception? failure)
    {
        var waiter = done.FirstWaiter;
        done.FirstWaiter = done.LastWaiter = null;
        while (waiter is not null)
        {
            var next = waiter.Next;
            waiter.Next = null;
            waiter.Complete(failure);
            waiter = next;
        }
    }
}
