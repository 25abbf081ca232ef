using Microsoft.Win32.SafeHandles;
using Query.Storage.Index;
using Query.Storage.Native;

namespace Query.Storage.Log;

/// <summary>
/// One segment: <c>{baseOffset:D20}.log</c> plus its <c>.index</c> and <c>.timeindex</c>. The writer appends
/// at <see cref="SizeBytes"/> and then publishes the new size and end offset; readers read only below the
/// published size through the shared handle, each holding a reference on it (DangerousAddRef) so that
/// retention can delete the segment under them: the descriptor closes after the last reader lets go.
/// </summary>
internal sealed class Segment
{
    private readonly SafeFileHandle _log;
    private SafeFileHandle? _offsetIndexFile;
    private SafeFileHandle? _timeIndexFile;
    private long _sizeBytes;
    private long _endOffset;
    private long _minTimestampMs = long.MaxValue;
    private long _maxTimestampMs = long.MinValue;
    private volatile bool _sealed;

    private Segment(string directory, long baseOffset, SafeFileHandle log, SegmentIndex index)
    {
        BaseOffset = baseOffset;
        LogPath = Path.Combine(directory, FileName(baseOffset, ".log"));
        OffsetIndexPath = Path.ChangeExtension(LogPath, ".index");
        TimeIndexPath = Path.ChangeExtension(LogPath, ".timeindex");
        _log = log;
        Index = index;
        _endOffset = baseOffset;
    }

    public long BaseOffset { get; }
    public string LogPath { get; }
    public string OffsetIndexPath { get; }
    public string TimeIndexPath { get; }
    public SegmentIndex Index { get; private set; }
    public SafeFileHandle Handle => _log;

    /// <summary>Wall-clock ms at which the segment started taking appends (drives roll by age).</summary>
    public long CreatedMs { get; set; }

    public long SizeBytes => Volatile.Read(ref _sizeBytes);
    public long EndOffset => Volatile.Read(ref _endOffset);
    public long MinTimestampMs => Volatile.Read(ref _minTimestampMs);
    public long MaxTimestampMs => Volatile.Read(ref _maxTimestampMs);

    /// <summary>True once no more batches will be appended; read before <see cref="SizeBytes"/>.</summary>
    public bool IsSealed => _sealed;

    public static string FileName(long baseOffset, string extension) => $"{baseOffset:D20}{extension}";

    public static Segment Open(string directory, long baseOffset, SegmentIndex index)
    {
        var path = Path.Combine(directory, FileName(baseOffset, ".log"));
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete);
        return new Segment(directory, baseOffset, handle, index);
    }

    /// <summary>Sets the state found by recovery (or loaded from the checkpoint).</summary>
    public void Restore(long sizeBytes, long endOffset, long minTimestampMs, long maxTimestampMs)
    {
        _sizeBytes = sizeBytes;
        _endOffset = endOffset;
        _minTimestampMs = minTimestampMs;
        _maxTimestampMs = maxTimestampMs;
    }

    public void ReplaceIndex(SegmentIndex index) => Index = index;

    /// <summary>Opens the index files for appending (the active segment), truncating them to what is in
    /// memory.</summary>
    public void OpenIndexFilesForAppend()
    {
        _offsetIndexFile?.Dispose();
        _timeIndexFile?.Dispose();
        _offsetIndexFile = File.OpenHandle(OffsetIndexPath, FileMode.Create, FileAccess.ReadWrite,
            FileShare.Read | FileShare.Delete);
        _timeIndexFile = File.OpenHandle(TimeIndexPath, FileMode.Create, FileAccess.ReadWrite,
            FileShare.Read | FileShare.Delete);
        Index.ResetPersisted();
        Index.Persist(_offsetIndexFile, _timeIndexFile);
    }

    public void Write(ReadOnlySpan<byte> data, long filePosition) => RandomAccess.Write(_log, data, filePosition);

    /// <summary>Makes appended batches visible to readers: size first, then the end offset readers compare
    /// with.</summary>
    public void Publish(long sizeBytes, long endOffset, long minTimestampMs, long maxTimestampMs)
    {
        if (minTimestampMs < _minTimestampMs)
            Volatile.Write(ref _minTimestampMs, minTimestampMs);
        if (maxTimestampMs > _maxTimestampMs)
            Volatile.Write(ref _maxTimestampMs, maxTimestampMs);
        Volatile.Write(ref _sizeBytes, sizeBytes);
        Volatile.Write(ref _endOffset, endOffset);
    }

    public void PersistIndex()
    {
        if (_offsetIndexFile is not null && _timeIndexFile is not null)
            Index.Persist(_offsetIndexFile, _timeIndexFile);
    }

    public void Sync() => FileSync.DataSync(_log);

    /// <summary>Flushes the index files to disk and closes them; the segment takes no more appends.</summary>
    public void Seal(bool syncToDisk)
    {
        PersistIndex();
        if (syncToDisk && _offsetIndexFile is not null && _timeIndexFile is not null)
        {
            FileSync.DataSync(_offsetIndexFile);
            FileSync.DataSync(_timeIndexFile);
        }
        _offsetIndexFile?.Dispose();
        _timeIndexFile?.Dispose();
        _offsetIndexFile = _timeIndexFile = null;
        _sealed = true;
    }

    public void Truncate(long sizeBytes) => RandomAccess.SetLength(_log, sizeBytes);

    /// <summary>Takes a reference on the data file for a reader; false when the segment was deleted.</summary>
    public bool TryAcquire()
    {
        var added = false;
        try
        {
            _log.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        return added;
    }

    public void Release() => _log.DangerousRelease();

    public void Close()
    {
        _offsetIndexFile?.Dispose();
        _timeIndexFile?.Dispose();
        _log.Dispose();
    }

    public void Delete()
    {
        Close();
        File.Delete(LogPath);
        File.Delete(OffsetIndexPath);
        File.Delete(TimeIndexPath);
    }

    public SegmentInfo ToInfo() => new(BaseOffset, EndOffset, MinTimestampMs, MaxTimestampMs, SizeBytes, LogPath);
}
