using Query.Storage.Format;
using Query.Storage.Log;
using Query.Storage.Native;
using Query.Storage.Transactions;

namespace Query.Storage.Commit;

// Transaction shares. A one-partition transaction's batches are one request of the ordinary group (written
// with one pwrite, all but the last marked continued, so recovery cuts an unfinished one). Multi-partition
// transactions' shares are prepared in groups: the pending shares queued back to back (or one staged share) are
// written (or, staged, finished) and synced together without publishing, while this loop holds the partition —
// no other append can land behind an undecided share — until the coordinators decide, in queue order; each is
// then published, or cut off so that its offsets go to the next append. A share prepared behind another one of
// the group depends on it (TransactionShare.Predecessor): its coordinator writes its commit record only after
// the earlier one committed, and aborts if it did not, so the cut of an aborted share never takes a committed
// one with it.
internal sealed partial class PartitionWriter
{
    private const int MaxPendingGroup = 256;

    // Caller holds _gate; the head of the queue is a pending share, which it takes with those right behind it.
    private List<TransactionShare> TakePendingGroup()
    {
        var first = _queue.Dequeue().Share!;
        var shares = new List<TransactionShare> { first };
        if (first.Staged is not null)
            return shares;
        while (shares.Count < MaxPendingGroup && _queue.TryPeek(out var next)
            && next.Share is { IsPending: true, Staged: null } share)
        {
            _queue.Dequeue();
            shares.Add(share);
        }
        return shares;
    }

    private async Task ProcessPendingAsync(List<TransactionShare> shares)
    {
        if (_partition.IsClosedForWrites(out var closed))
        {
            foreach (var share in shares)
                share.FailPrepare(closed);
            return;
        }
        Segment segment;
        try
        {
            segment = shares[0].Staged is { } staged ? PrepareStaged(shares[0], staged) : PrepareTail(shares);
        }
        catch (Exception exception)
        {
            var failure = PrepareFailure(exception);
            foreach (var share in shares)
                share.FailPrepare(failure);
            return;
        }
        for (var i = 1; i < shares.Count; i++)
            shares[i].Predecessor = shares[i - 1];
        foreach (var share in shares)
            share.SetPrepared();
        var cut = false;
        foreach (var share in shares)
        {
            var decision = await share.Decision.ConfigureAwait(false);
            try
            {
                cut |= Resolve(share, segment, decision, cut);
                share.Complete();
            }
            catch (Exception exception)
            {
                share.FailCompletion(exception);
            }
        }
    }

    private Segment PrepareStaged(TransactionShare share, StagedAppend staged)
    {
        var baseOffset = _partition.EndOffset;
        SyncBeforeSeal(_partition.ActiveSegment, _partition.NowMs());   // the share's adoption seals it
        _partition.PrepareStaged(staged, baseOffset);
        // The temporary files' directory entries must survive a power loss: the commit record will name them.
        if (_partition.Options.Durability != DurabilityMode.None)
            FileSync.SyncDirectory(_partition.Directory);
        share.BaseOffset = baseOffset;
        share.Renames.AddRange(PartitionLog.StagedRenames(staged, baseOffset));
        return _partition.ActiveSegment;
    }

    private Segment PrepareTail(List<TransactionShare> shares)
    {
        var options = _partition.Options;
        var sync = options.Durability != DurabilityMode.None;
        var nowMs = _partition.NowMs();
        var segment = _partition.ActiveSegment;
        var position = segment.SizeBytes;
        long total = 0;
        foreach (var share in shares)
            total += share.SizeBytes;
        if (position > 0 && (position + total > options.SegmentMaxBytes
            || nowMs - segment.CreatedMs >= (long)options.SegmentMaxAge.TotalMilliseconds))
        {
            // The shares are written into one segment, so none straddles a roll: roll first.
            if (_dirty && sync)
                SyncOrFail(segment, position, nowMs);
            segment = _partition.Roll(_partition.EndOffset, nowMs);
            position = 0;
        }
        if (position == 0)
            segment.CreatedMs = nowMs;
        var offset = _partition.EndOffset;
        _partition.Coordinator.EnsureRecordedEndAtMost(_partition, offset);
        var length = checked((int)total);
        EnsureBuffer(length, 0);
        var at = 0;
        foreach (var share in shares)
        {
            CopyBatches(share.Batches, at, offset);
            share.BaseOffset = offset;
            share.FilePosition = position + at;
            offset += share.RecordCount;
            at += (int)share.SizeBytes;
        }
        try
        {
            _partition.BeforeWrite(segment, position, length);
            segment.Write(_buffer.AsSpan(0, length), position);
        }
        catch (IOException)
        {
            // Past the published size nothing is anyone's yet: cut it and fail only these transactions.
            TryTruncate(segment, position);
            throw;
        }
        _dirty = true;
        if (sync)
            SyncOrFail(segment, position, nowMs);
        return segment;
    }

    // Returns true when the share was cut off (with everything prepared after it, which its coordinators abort).
    private bool Resolve(TransactionShare share, Segment segment, ShareDecision decision, bool cutAlready)
    {
        var endOffset = share.BaseOffset + share.RecordCount;
        if (cutAlready && decision == ShareDecision.Commit)
        {
            // Cannot happen (a successor of an aborted share is aborted); if it did, the file is not what the
            // commit record says, so the partition stops and recovery decides.
            _partition.Fail(new StorageException("a transaction committed behind an aborted one"));
            throw _partition.ClosedException();
        }
        switch (decision)
        {
            case ShareDecision.Commit when share.Staged is { } staged:
                _partition.InstallStaged(staged, share.BaseOffset, _partition.NowMs(), writeManifest: false);
                _partition.OnPublished(endOffset);
                break;
            case ShareDecision.Commit:
                long minTimestampMs = long.MaxValue, maxTimestampMs = long.MinValue;
                IndexBatches(segment, share.Batches, share.BaseOffset, share.FilePosition, ref minTimestampMs,
                    ref maxTimestampMs);
                TryPersistIndex(segment);
                segment.Publish(share.FilePosition + share.SizeBytes, endOffset, minTimestampMs, maxTimestampMs);
                _partition.OnPublished(endOffset);
                return false;
            case ShareDecision.Abort when share.Staged is null:
                // A failed partition's files are left to recovery (an abandoned share before this one may be
                // committed there).
                if (cutAlready || _partition.IsClosedForWrites(out _))
                    return true;
                try
                {
                    segment.Truncate(share.FilePosition);
                }
                catch (IOException exception)
                {
                    // Recovery cuts the pending batches anyway (no commit record names them); until then the
                    // file is not what this writer believes, so the partition stops.
                    _partition.Fail(exception);
                }
                return true;
            case ShareDecision.Abandon:
                share.Staged?.MarkAdopted();   // the commit record may name its files: recovery decides
                _partition.Fail(new StorageException(
                    "a transaction's commit record could not be made durable; its outcome is decided by recovery"));
                return true;
        }
        return false;
    }

    private Exception PrepareFailure(Exception exception) => exception switch
    {
        IOException io when StorageFullException.IsDiskFull(io) => new StorageFullException(_partition.Directory, io),
        _ when _partition.IsClosedForWrites(out var closed) => closed,
        IOException io => new StorageException(
            $"writing a transaction's share to partition {_partition.Partition} of log \"{_partition.LogName}\" " +
            $"failed: {io.Message}", io),
        _ => exception,
    };

    /// <summary>Copies a share's sealed batches into the buffer at <paramref name="at"/> with their offsets.</summary>
    private void CopyBatches(ReadOnlyMemory<byte>[] batches, int at, long baseOffset)
    {
        foreach (var batch in batches)
        {
            var target = _buffer.AsSpan(at);
            batch.Span.CopyTo(target);
            BatchHeader.WriteBaseOffset(target, baseOffset);
            baseOffset += BatchHeader.Read(batch.Span).RecordCount;
            at += batch.Length;
        }
    }

    private static void IndexBatches(Segment segment, ReadOnlyMemory<byte>[] batches, long baseOffset,
        long filePosition, ref long minTimestampMs, ref long maxTimestampMs)
    {
        foreach (var batch in batches)
        {
            var header = BatchHeader.Read(batch.Span);
            minTimestampMs = Math.Min(minTimestampMs, header.MinTimestampMs);
            maxTimestampMs = Math.Max(maxTimestampMs, header.MaxTimestampMs);
            segment.Index.OnBatch((int)(baseOffset - segment.BaseOffset), filePosition, header.MinTimestampMs,
                header.MaxTimestampMs);
            baseOffset += header.RecordCount;
            filePosition += batch.Length;
        }
    }
}
