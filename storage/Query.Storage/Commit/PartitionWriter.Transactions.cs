using Query.Storage.Format;
using Query.Storage.Log;
using Query.Storage.Native;
using Query.Storage.Transactions;

namespace Query.Storage.Commit;

// Transaction shares. A one-partition transaction's batches are one request of the ordinary group (written
// with one pwrite, all but the last marked continued, so recovery cuts an unfinished one). A multi-partition
// transaction's share is prepared alone: written (or, staged, finished) and synced without publishing, while
// this loop holds the partition — no other append can land behind an undecided share — until the coordinator
// decides; then it is published, or cut off so that its offsets go to the next append.
internal sealed partial class PartitionWriter
{
    private async Task ProcessPendingAsync(TransactionShare share)
    {
        if (_partition.IsClosedForWrites(out var closed))
        {
            share.FailPrepare(closed);
            return;
        }
        Segment segment;
        try
        {
            segment = share.Staged is { } staged ? PrepareStaged(share, staged) : PrepareTail(share);
        }
        catch (Exception exception)
        {
            share.FailPrepare(PrepareFailure(exception));
            return;
        }
        share.SetPrepared();
        var decision = await share.Decision.ConfigureAwait(false);
        try
        {
            Resolve(share, segment, decision);
            share.Complete();
        }
        catch (Exception exception)
        {
            share.FailCompletion(exception);
        }
    }

    private Segment PrepareStaged(TransactionShare share, StagedAppend staged)
    {
        var baseOffset = _partition.EndOffset;
        _partition.PrepareStaged(staged, baseOffset);
        // The temporary files' directory entries must survive a power loss: the commit record will name them.
        if (_partition.Options.Durability != DurabilityMode.None)
            FileSync.SyncDirectory(_partition.Directory);
        share.BaseOffset = baseOffset;
        share.Renames.AddRange(PartitionLog.StagedRenames(staged, baseOffset));
        return _partition.ActiveSegment;
    }

    private Segment PrepareTail(TransactionShare share)
    {
        var options = _partition.Options;
        var sync = options.Durability != DurabilityMode.None;
        var nowMs = _partition.NowMs();
        var segment = _partition.ActiveSegment;
        var position = segment.SizeBytes;
        if (position > 0 && (position + share.SizeBytes > options.SegmentMaxBytes
            || nowMs - segment.CreatedMs >= (long)options.SegmentMaxAge.TotalMilliseconds))
        {
            // The share is written into one segment, so it never straddles a roll: roll first.
            if (_dirty && sync)
                SyncOrFail(segment, position, nowMs);
            segment = _partition.Roll(_partition.EndOffset, nowMs);
            position = 0;
        }
        if (position == 0)
            segment.CreatedMs = nowMs;
        var baseOffset = _partition.EndOffset;
        _partition.Coordinator.EnsureRecordedEndAtMost(_partition, baseOffset);
        var length = checked((int)share.SizeBytes);
        EnsureBuffer(length, 0);
        CopyBatches(share.Batches, 0, baseOffset);
        try
        {
            _partition.BeforeWrite(segment, position, length);
            segment.Write(_buffer.AsSpan(0, length), position);
        }
        catch (IOException)
        {
            // Past the published size nothing is anyone's yet: cut it and fail only this transaction.
            TryTruncate(segment, position);
            throw;
        }
        _dirty = true;
        if (sync)
            SyncOrFail(segment, position, nowMs);
        share.BaseOffset = baseOffset;
        share.FilePosition = position;
        return segment;
    }

    private void Resolve(TransactionShare share, Segment segment, ShareDecision decision)
    {
        var endOffset = share.BaseOffset + share.RecordCount;
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
                break;
            case ShareDecision.Abort when share.Staged is null:
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
                break;
            case ShareDecision.Abandon:
                share.Staged?.MarkAdopted();   // the commit record may name its files: recovery decides
                _partition.Fail(new StorageException(
                    "a transaction's commit record could not be made durable; its outcome is decided by recovery"));
                break;
        }
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
            segment.Index.OnBatch((int)(baseOffset - segment.BaseOffset), filePosition, header.MaxTimestampMs);
            baseOffset += header.RecordCount;
            filePosition += batch.Length;
        }
    }
}
