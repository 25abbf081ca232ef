using System.Globalization;
using Query.Storage;
using Query.Tiering.Layout;
using Query.Tiering.Manifest;
using Query.Tiering.Parquet;

namespace Query.Tiering.Archival;

/// <summary>
/// Writes the records of [start, end) of a partition as cold files under temporary names, fsynced. A new file
/// starts when a record's UTC date is later than the running file's date; a late record of an earlier date
/// stays in the running file, so every file covers a contiguous offset range and the <c>date=</c> folder is the
/// date of the file's first record (filter on <c>rowtime</c>, not on the folder, for exact answers).
/// </summary>
internal sealed class SegmentFileWriter(PartitionLog log, PartitionTier tier, IColumnLayout layout,
    ColdFileSchema schema, ColdFileOptions options, Action<ArchiveStep> step)
{
    private const long MsPerDay = 86_400_000;

    private enum Next
    {
        End,
        FlushRowGroup,
        NewFile,
    }

    public async Task WriteAsync(long start, long end, List<WrittenFile> written)
    {
        using var reader = log.OpenReader(start, end);
        OpenFile? file = null;
        var fileBase = start;
        try
        {
            while (true)
            {
                var next = Pump(reader, file, out var pending);
                if (next == Next.End)
                    break;
                if (next == Next.NewFile)
                {
                    if (file is not null)
                    {
                        written.Add(await FinishAsync(file, fileBase, pending!.Offset).ConfigureAwait(false));
                        fileBase = pending!.Offset;
                        file = null;
                    }
                    step(ArchiveStep.WriteFile);
                    file = await OpenAsync(pending!.Day, fileBase).ConfigureAwait(false);
                    pending.AddTo(file.Writer);
                }
                if (file!.Writer.IsRowGroupFull)
                    await file.Writer.FlushRowGroupAsync(CancellationToken.None).ConfigureAwait(false);
            }
            if (reader.NextOffset < end)
                throw new ColdArchiveException(
                    $"offsets [{reader.NextOffset}, {end}) of partition {log.Partition} could not be read");
            if (file is not null)
                written.Add(await FinishAsync(file, fileBase, end).ConfigureAwait(false));
        }
        catch
        {
            if (file is not null)
                await file.AbandonAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Adds records while they belong to the running file and its row group has room. The record that needs a
    // new file is copied out (records are views that cannot live across an await): one copy per file.
    private static Next Pump(LogReader reader, OpenFile? file, out PendingRecord? pending)
    {
        pending = null;
        while (reader.TryRead(out var record))
        {
            var day = Math.Floor((double)record.TimestampMs / MsPerDay);
            if (file is null || day > file.Day)
            {
                pending = PendingRecord.Copy(record, day);
                return Next.NewFile;
            }
            file.Writer.Add(record);
            if (file.Writer.IsRowGroupFull)
                return Next.FlushRowGroup;
        }
        return Next.End;
    }

    private async Task<OpenFile> OpenAsync(double day, long fileBase)
    {
        var date = DateOnly.FromDayNumber(719_162 + (int)day);
        var folder = Path.Combine(tier.Directory, ColdPaths.DateKey + "=" + date.ToString("yyyy-MM-dd",
            CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, ColdPaths.TemporaryPrefix + fileBase.ToString(CultureInfo.InvariantCulture)
            + "-" + Guid.NewGuid().ToString("N") + ".parquet.tmp");
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 20);
        try
        {
            var writer = await ColdFileWriter.CreateAsync(schema, layout, log.Partition, stream, options,
                CancellationToken.None).ConfigureAwait(false);
            return new OpenFile(day, date, temporary, stream, writer);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            File.Delete(temporary);
            throw;
        }
    }

    private async Task<WrittenFile> FinishAsync(OpenFile file, long baseOffset, long endOffset)
    {
        var writer = file.Writer;
        await writer.CompleteAsync(tier.Stream, log.Partition, baseOffset, endOffset, layout, CancellationToken.None)
            .ConfigureAwait(false);
        step(ArchiveStep.SyncFile);
        file.Stream.Flush(flushToDisk: true);
        var size = file.Stream.Length;
        await file.Stream.DisposeAsync().ConfigureAwait(false);
        var relative = ColdPaths.RelativeFilePath(file.Date, baseOffset, endOffset - 1);
        var entry = new ColdFileEntry(relative, baseOffset, endOffset, writer.RowCount, writer.MinTimestampMs,
            writer.MaxTimestampMs, size, writer.RowGroupCount, layout.SchemaVersion);
        return new WrittenFile(file.TemporaryPath, Path.Combine(tier.Directory, relative), entry);
    }

    private sealed class OpenFile(double day, DateOnly date, string temporaryPath, FileStream stream,
        ColdFileWriter writer)
    {
        public double Day { get; } = day;
        public DateOnly Date { get; } = date;
        public string TemporaryPath { get; } = temporaryPath;
        public FileStream Stream { get; } = stream;
        public ColdFileWriter Writer { get; } = writer;

        public async Task AbandonAsync()
        {
            try
            {
                await Writer.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The footer of an abandoned file does not matter; the file goes.
            }
            await Stream.DisposeAsync().ConfigureAwait(false);
            File.Delete(TemporaryPath);
        }
    }

    private sealed class PendingRecord(long offset, long timestampMs, byte[]? key, byte[] value, int headerCount,
        byte[] headers, double day)
    {
        public long Offset => offset;
        public double Day => day;

        public static PendingRecord Copy(in LogRecord record, double day) => new(record.Offset, record.TimestampMs,
            record.HasKey ? record.Key.ToArray() : null, record.Value.ToArray(), record.HeaderCount,
            record.RawHeaders.ToArray(), day);

        public void AddTo(ColdFileWriter writer) => writer.Add(new LogRecord
        {
            Offset = offset,
            TimestampMs = timestampMs,
            HasKey = key is not null,
            Key = key,
            Value = value,
            HeaderCount = headerCount,
            RawHeaders = headers,
        });
    }
}
