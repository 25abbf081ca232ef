using Query.Storage;
using Query.Storage.Reading;
using Query.Tiering.Layout;
using Query.Tiering.Manifest;
using Query.Tiering.Parquet;

namespace Query.Tiering.Reading;

/// <summary>
/// Reads the cold tier of one partition in offset order, file by file from a manifest snapshot: files outside
/// the offset or ROWTIME range are not opened, row groups are skipped by statistics, only projected columns are
/// read. The snapshot is leased (<see cref="PartitionTier.Lease"/>), so files that compaction replaces meanwhile
/// stay on disk until the reader is disposed. A file that disappears before it is opened (expired by total
/// retention after the snapshot) is looked up again in the current manifest; offsets that expired meanwhile are
/// stepped over and counted.
/// <para>Reads are synchronous: Parquet.Net's reads of a FileStream complete synchronously in practice, and
/// the record views of <see cref="TryRead"/> cannot cross an await. Not thread-safe; dispose it.</para>
/// </summary>
public sealed class ColdPartitionReader : IDisposable
{
    private readonly PartitionTier _tier;
    private readonly ColdFileSchema _schema;
    private readonly IColumnLayout _layout;
    private readonly ColdScanRange _range;
    private ManifestLease _lease;
    private TierManifest _manifest;
    private int _fileIndex;
    private ColdFileReader? _file;
    private bool _rowGroupLoaded;
    private long _openFileEnd;       // NextOffset moves here once the open file is used up

    public ColdPartitionReader(PartitionTier tier, IColumnLayout layout, ColdScanRange range)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(range);
        _tier = tier;
        _layout = layout;
        _schema = ColdFileSchema.Create(layout.Columns);
        _range = range;
        _lease = tier.Lease();
        _manifest = _lease.Manifest;
        NextOffset = Math.Max(range.StartOffset, _manifest.StartOffset);
        _fileIndex = _manifest.FindFile(NextOffset);
    }

    /// <summary>The offset the next <see cref="TryRead"/> looks at.</summary>
    public long NextOffset { get; private set; }

    /// <summary>One past the last offset this reader can return (the cold end or the range end).</summary>
    public long EndOffset => Math.Min(_range.EndOffsetExclusive, _manifest.EndOffset);

    public ColdReadStatistics Statistics { get; } = new();

    /// <summary>Offsets stepped over because they expired from the cold tier while this reader was open.</summary>
    public long OffsetsSkippedByRetention { get; private set; }

    /// <summary>The next record in [start, min(end, cold end)); false when the cold range is used up.</summary>
    public bool TryRead(out LogRecord record)
    {
        while (true)
        {
            if (_file is not null && _rowGroupLoaded && _file.TryRead(out record))
            {
                NextOffset = record.Offset + 1;
                return true;
            }
            if (_file is not null && LoadNextRowGroup())
                continue;
            CloseFile();
            if (!OpenNextFile())
            {
                NextOffset = Math.Max(NextOffset, EndOffset);
                record = default;
                return false;
            }
        }
    }

    /// <summary>After <see cref="TryReadBatch"/> stopped at a row group with rows kept raw: the end of that row group
    /// (offsets [<see cref="NextOffset"/>, this) must be read as records); otherwise -1.</summary>
    public long RawEndOffset { get; private set; } = -1;

    /// <summary>
    /// The next row group with a row to return, as columns into <paramref name="batch"/> (the range must be
    /// <see cref="ColdScanRange.Columnar"/>); false at the end of the cold range, or before a row group holding
    /// rows kept raw (<see cref="RawEndOffset"/>), which only records can describe.
    /// </summary>
    public bool TryReadBatch(ColumnBatch batch)
    {
        while (true)
        {
            if (_file is not null && LoadNextRowGroup())
            {
                var offsets = _file.LoadedOffsets;
                if (offsets.Length == 0)
                    continue;
                if (_file.LoadedRawRows)
                {
                    RawEndOffset = Math.Min(offsets[^1] + 1, _range.EndOffsetExclusive);
                    return false;
                }
                _file.FillBatch(batch);
                NextOffset = Math.Max(NextOffset, Math.Min(offsets[^1] + 1, _range.EndOffsetExclusive));
                if (batch.SelectedCount > 0)
                    return true;
                continue;
            }
            CloseFile();
            if (!OpenNextFile())
            {
                NextOffset = Math.Max(NextOffset, EndOffset);
                return false;
            }
        }
    }

    public void Dispose()
    {
        CloseFile();
        _lease.Dispose();
    }

    private bool LoadNextRowGroup()
    {
        _rowGroupLoaded = _file!.LoadNextRowGroupAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return _rowGroupLoaded;
    }

    private bool OpenNextFile()
    {
        while (_fileIndex < _manifest.Files.Length)
        {
            var entry = _manifest.Files[_fileIndex];
            if (entry.BaseOffset >= _range.EndOffsetExclusive)
                return false;
            if (!entry.OverlapsTime(_range.MinTimestampMs, _range.MaxTimestampMs))
            {
                Statistics.FilesSkipped++;
                _fileIndex++;
                NextOffset = Math.Max(NextOffset, Math.Min(entry.EndOffset, _range.EndOffsetExclusive));
                continue;
            }
            var range = _range with { StartOffset = Math.Max(_range.StartOffset, NextOffset) };
            try
            {
                _file = ColdFileReader.OpenAsync(_tier.FullPath(entry), _schema, _layout, range, _tier.FileCache,
                    entry.SizeBytes, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                Resnapshot(e);
                continue;
            }
            Statistics.FilesOpened++;
            _fileIndex++;
            _openFileEnd = entry.EndOffset;
            _rowGroupLoaded = false;
            return true;
        }
        return false;
    }

    private void Resnapshot(Exception missing)
    {
        var lease = _tier.Lease();
        var current = lease.Manifest;
        if (current.Generation == _manifest.Generation)
        {
            lease.Dispose();
            throw new TierManifestCorruptException(_tier.Directory, "a file the manifest names is missing", missing);
        }
        _lease.Dispose();
        _lease = lease;
        _manifest = current;
        if (NextOffset < current.StartOffset)
        {
            OffsetsSkippedByRetention += current.StartOffset - NextOffset;
            NextOffset = current.StartOffset;
        }
        _fileIndex = current.FindFile(NextOffset);
    }

    private void CloseFile()
    {
        if (_file is null)
            return;
        var files = Statistics.FilesOpened;
        Statistics.Add(_file.Statistics);
        Statistics.FilesOpened = files;         // a file reader counts no files of its own
        _file.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _file = null;
        NextOffset = Math.Max(NextOffset, Math.Min(_openFileEnd, _range.EndOffsetExclusive));
    }
}
