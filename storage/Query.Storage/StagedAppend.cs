using System.Runtime.InteropServices;
using Query.Storage.Log;

namespace Query.Storage;

/// <summary>
/// A large append written to disk while it is produced and made visible all at once by
/// <see cref="CommitAsync"/> (COPY FROM STDIN of millions of rows): nothing is held in memory beyond the batch
/// being filled, and the commit costs an fdatasync and a rename per segment instead of writing everything then.
/// The batches go to temporary segment files in the partition directory, rolled at
/// <see cref="LogOptions.SegmentMaxBytes"/>; the partition's writer adopts them in order with its other
/// appends. Disposing without commit deletes them; a crash before the commit leaves nothing behind, because
/// recovery deletes temporary files.
/// <para>Not thread-safe: one producer appends, then commits or disposes.</para>
/// </summary>
public sealed class StagedAppend : IDisposable
{
    private readonly PartitionLog _partition;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly List<StagedSegment> _segments = [];
    private readonly bool _enlisted;
    private bool _committing;
    private bool _adopted;
    private bool _disposed;

    internal StagedAppend(PartitionLog partition, bool enlisted)
    {
        _partition = partition;
        _enlisted = enlisted;
    }

    /// <summary>Records appended so far.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Bytes written so far, batch headers included.</summary>
    public long SizeBytes { get; private set; }

    internal IReadOnlyList<StagedSegment> Segments => _segments;

    /// <summary>
    /// Seals the batch (stamping append-time records now) and writes it; the builder may be cleared and reused
    /// as soon as this returns. Throws what <see cref="PartitionLog.AppendAsync"/> throws for a bad batch, and
    /// <see cref="IOException"/> (a <see cref="StorageFullException"/> when the disk is full) for a failed write.
    /// </summary>
    public void Append(RecordBatchBuilder batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committing)
            throw new InvalidOperationException("the staged append is already committed");
        if (batch.Count == 0)
            throw new ArgumentException("cannot append an empty batch", nameof(batch));
        if (batch.MaxRecordSizeBytes > _partition.Options.MaxRecordBytes)
            throw new RecordTooLargeException(batch.MaxRecordSizeBytes, _partition.Options.MaxRecordBytes);
        _partition.ThrowIfDeleted();
        var sealedBatch = MemoryMarshal.AsMemory(batch.Seal(_partition.NowMs())).Span;
        var segment = _segments.Count > 0 ? _segments[^1] : null;
        if (segment is null
            || (segment.SizeBytes > 0 && segment.SizeBytes + sealedBatch.Length > _partition.Options.SegmentMaxBytes))
        {
            segment = new StagedSegment(_partition.Directory, $"{_id}-{_segments.Count}");
            _segments.Add(segment);
        }
        try
        {
            _partition.BeforeWrite(segment.LogPath, segment.SizeBytes, sealedBatch.Length);
            segment.Write(sealedBatch);
        }
        catch (IOException exception) when (StorageFullException.IsDiskFull(exception))
        {
            throw new StorageFullException(_partition.Directory, exception);
        }
        RecordCount += batch.Count;
        SizeBytes += sealedBatch.Length;
    }

    /// <summary>
    /// Makes every appended record visible after the partition's earlier appends, durable per the log's
    /// durability mode, and returns the offset of the first. Throws as <see cref="PartitionLog.AppendAsync"/>.
    /// </summary>
    public ValueTask<long> CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_enlisted)
            throw new InvalidOperationException("the staged append is part of a transaction, which commits it");
        return CommitCoreAsync(cancellationToken);
    }

    /// <summary>Commits a staged append that is a transaction's only share (no coordinator needed).</summary>
    internal ValueTask<long> CommitEnlistedAsync() => CommitCoreAsync(CancellationToken.None);

    private async ValueTask<long> CommitCoreAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committing)
            throw new InvalidOperationException("the staged append is already committed");
        if (RecordCount == 0)
            throw new InvalidOperationException("cannot commit an empty staged append");
        cancellationToken.ThrowIfCancellationRequested();
        _committing = true;
        var result = await _partition.EnqueueStagedAsync(this, cancellationToken).ConfigureAwait(false);
        return result.BaseOffset;
    }

    /// <summary>Called by the writer once the files are about to be renamed (or a commit record may name them):
    /// from then on they are the log's, or recovery's to decide.</summary>
    internal void MarkAdopted() => _adopted = true;

    /// <summary>Deletes the staged files unless they were committed.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_adopted)
            return;
        foreach (var segment in _segments)
            segment.Discard();
    }
}
