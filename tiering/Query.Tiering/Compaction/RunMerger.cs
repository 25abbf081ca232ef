using System.Collections.Immutable;
using System.Globalization;
using Query.Tiering.Archival;
using Query.Tiering.Layout;
using Query.Tiering.Manifest;
using Query.Tiering.Parquet;

namespace Query.Tiering.Compaction;

/// <summary>
/// Writes the merged file of one run under a temporary name in the run's folder, fsynced: each input's row
/// groups are read whole and appended column by column to the output's running row group, which is cut before
/// it would pass the row limit or once it passes the byte limit. On failure the temporary file is deleted.
/// </summary>
internal sealed class RunMerger(PartitionTier tier, IColumnLayout layout, ColdFileOptions options,
    Action<CompactionStep> step, ArchiveProgress? progress)
{
    public async Task<MergedFile> WriteAsync(ImmutableArray<ColdFileEntry> inputs)
    {
        var first = inputs[0];
        var last = inputs[^1];
        var relative = CompactionPlan.Folder(first.RelativePath).ToString() + "/"
            + ColdPaths.FileName(first.BaseOffset, last.EndOffset - 1);
        var finalPath = Path.Combine(tier.Directory, relative);
        var temporary = Path.Combine(Path.GetDirectoryName(finalPath)!, ColdPaths.TemporaryPrefix + "compact-"
            + first.BaseOffset.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")
            + ".parquet.tmp");
        step(CompactionStep.WriteFile);
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 20);
        try
        {
            var entry = await WriteFileAsync(stream, inputs, relative).ConfigureAwait(false);
            return new MergedFile(temporary, finalPath, entry);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            File.Delete(temporary);
            throw;
        }
    }

    private async Task<ColdFileEntry> WriteFileAsync(FileStream stream, ImmutableArray<ColdFileEntry> inputs,
        string relative)
    {
        var writeSchema = ColdFileSchema.Create(layout.Columns);
        var readSchema = ColdFileSchema.Create(layout.Columns);
        var writer = await ColdFileWriter.CreateAsync(writeSchema, layout, tier.Partition, stream, options,
            CancellationToken.None).ConfigureAwait(false);
        try
        {
            long expectedRows = 0;
            foreach (var input in inputs)
            {
                await CopyAsync(writer, readSchema, input).ConfigureAwait(false);
                expectedRows += input.RowCount;
                progress?.SegmentDone(input.SizeBytes, input.RowCount);
            }
            if (writer.RowCount != expectedRows)
                throw new ColdArchiveException($"compaction of {relative} read {writer.RowCount} rows, the manifest "
                    + $"says {expectedRows}: the merged file is not committed");
            var baseOffset = inputs[0].BaseOffset;
            var endOffset = inputs[^1].EndOffset;
            await writer.CompleteAsync(tier.Stream, tier.Partition, baseOffset, endOffset, layout,
                CancellationToken.None).ConfigureAwait(false);
            step(CompactionStep.SyncFile);
            stream.Flush(flushToDisk: true);
            var size = stream.Length;
            await stream.DisposeAsync().ConfigureAwait(false);
            return new ColdFileEntry(relative, baseOffset, endOffset, writer.RowCount, writer.MinTimestampMs,
                writer.MaxTimestampMs, size, writer.RowGroupCount, layout.SchemaVersion);
        }
        catch
        {
            try
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The footer of an abandoned file does not matter; the file goes.
            }
            throw;
        }
    }

    private async Task CopyAsync(ColdFileWriter writer, ColdFileSchema readSchema, ColdFileEntry input)
    {
        var range = new ColdScanRange(input.BaseOffset, input.EndOffset);
        await using var reader = await ColdFileReader.OpenAsync(tier.FullPath(input), readSchema, layout, range,
            CancellationToken.None).ConfigureAwait(false);
        if (!reader.ReadsEveryColumn)
            throw new ColdArchiveException($"cold file {input.RelativePath} lacks columns of schema version "
                + $"{layout.SchemaVersion}; it is not merged");
        while (await reader.LoadNextRowGroupAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (writer.BufferedRows > 0 && writer.BufferedRows + reader.LoadedRows > options.RowGroupMaxRows)
                await writer.FlushRowGroupAsync(CancellationToken.None).ConfigureAwait(false);
            writer.AppendLoaded(reader);
            if (writer.IsRowGroupFull)
                await writer.FlushRowGroupAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

}

/// <summary>A merged file: where it is now, where it goes, its manifest entry.</summary>
internal sealed class MergedFile(string temporaryPath, string finalPath, ColdFileEntry entry)
{
    public string TemporaryPath { get; } = temporaryPath;
    public string FinalPath { get; } = finalPath;
    public ColdFileEntry Entry { get; } = entry;
    public bool Renamed { get; set; }

    public void Discard()
    {
        TryDelete(TemporaryPath);
        if (Renamed)
            TryDelete(FinalPath);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Named by no manifest: PartitionTier.Open removes it at the next start.
        }
    }
}
