using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Query.Storage.Format;
using Query.Storage.Index;
using Query.Storage.Native;

namespace Query.Storage.Log;

/// <summary>
/// One segment's worth of a <see cref="StagedAppend"/>: batches written to <c>{id}.log.tmp</c> in the partition
/// directory with offsets relative to the segment's first record, indexed as they go. Adoption patches the
/// absolute base offsets into the batch headers (they are outside the CRC), persists the index files and
/// renames all three files to their final names, so the data is written once. Recovery deletes <c>.tmp</c>
/// files, so a staged segment that was never adopted disappears with a crash.
/// </summary>
internal sealed class StagedSegment
{
    // Writeback is started every few MiB so that the fdatasync at adoption finds little left to write.
    private const long WritebackChunkBytes = 8 << 20;

    private readonly SafeFileHandle _log;
    private readonly List<(long Position, long RelativeOffset)> _batches = [];
    private long _writebackFrom;

    public StagedSegment(string directory, string id)
    {
        LogPath = Path.Combine(directory, id + ".log.tmp");
        _log = File.OpenHandle(LogPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
    }

    public string LogPath { get; }
    public SegmentIndex Index { get; } = new();
    public long SizeBytes { get; private set; }
    public long RecordCount { get; private set; }
    public long MinTimestampMs { get; private set; } = long.MaxValue;
    public long MaxTimestampMs { get; private set; } = long.MinValue;

    /// <summary>Writes one sealed batch (its base offset field is overwritten with the relative offset).</summary>
    public void Write(Span<byte> batch)
    {
        var header = BatchHeader.Read(batch);
        BatchHeader.WriteBaseOffset(batch, RecordCount);
        RandomAccess.Write(_log, batch, SizeBytes);
        Index.OnBatch(checked((int)RecordCount), SizeBytes, header.MinTimestampMs, header.MaxTimestampMs);
        _batches.Add((SizeBytes, RecordCount));
        SizeBytes += batch.Length;
        RecordCount += header.RecordCount;
        MinTimestampMs = Math.Min(MinTimestampMs, header.MinTimestampMs);
        MaxTimestampMs = Math.Max(MaxTimestampMs, header.MaxTimestampMs);
        if (SizeBytes - _writebackFrom >= WritebackChunkBytes)
        {
            FileSync.StartWriteback(_log, _writebackFrom, SizeBytes - _writebackFrom);
            _writebackFrom = SizeBytes;
        }
    }

    /// <summary>
    /// Gives every batch its absolute base offset, writes the index files (still under temporary names) and,
    /// when <paramref name="sync"/>, makes all three durable. After this the files only need renaming.
    /// </summary>
    public void Finish(long baseOffset, bool sync)
    {
        Span<byte> offset = stackalloc byte[8];
        foreach (var (position, relativeOffset) in _batches)
        {
            BinaryPrimitives.WriteInt64LittleEndian(offset, baseOffset + relativeOffset);
            RandomAccess.Write(_log, offset, position);
        }
        using var offsetIndex = CreateIndexFile(".index.tmp");
        using var timeIndex = CreateIndexFile(".timeindex.tmp");
        Index.ResetPersisted();
        Index.Persist(offsetIndex, timeIndex);
        if (!sync)
            return;
        FileSync.DataSync(_log);
        FileSync.DataSync(offsetIndex);
        FileSync.DataSync(timeIndex);
    }

    /// <summary>The (temporary, final) file names of the three files once the segment starts at
    /// <paramref name="baseOffset"/>: the index files first, so the data file's arrival completes it.</summary>
    public IEnumerable<(string From, string To)> Renames(long baseOffset)
    {
        foreach (var extension in new[] { ".index", ".timeindex", ".log" })
        {
            var from = Path.GetFileName(TemporaryPath(extension + ".tmp"));
            yield return (from, Segment.FileName(baseOffset, extension));
        }
    }

    /// <summary>Renames the three files to the segment names of <paramref name="baseOffset"/> (replacing an
    /// empty segment's files there) and opens the result as a sealed segment.</summary>
    public Segment Install(string directory, long baseOffset)
    {
        _log.Dispose();
        foreach (var (from, to) in Renames(baseOffset))
            File.Move(Path.Combine(directory, from), Path.Combine(directory, to), overwrite: true);
        var segment = Segment.Open(directory, baseOffset, Index);
        segment.Restore(SizeBytes, baseOffset + RecordCount, MinTimestampMs, MaxTimestampMs);
        segment.Seal(syncToDisk: false);
        return segment;
    }

    /// <summary>Closes and deletes the temporary files (a staged append that is not committed).</summary>
    public void Discard()
    {
        _log.Dispose();
        foreach (var extension in new[] { ".log.tmp", ".index.tmp", ".timeindex.tmp" })
        {
            try
            {
                File.Delete(TemporaryPath(extension));
            }
            catch (IOException)
            {
                // Recovery deletes .tmp files on the next open.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private string TemporaryPath(string extension) => LogPath[..^".log.tmp".Length] + extension;

    private SafeFileHandle CreateIndexFile(string extension) =>
        File.OpenHandle(TemporaryPath(extension), FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
}
