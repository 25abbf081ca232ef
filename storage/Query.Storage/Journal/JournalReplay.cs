using System.Buffers;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Query.Storage.Native;

namespace Query.Storage.Journal;

/// <summary>
/// Recovery of the journal, before any partition is recovered: reads the header's epoch (the valid slot with the
/// larger epoch), then every record from the head on while it is whole (plausible length, CRC) and of that epoch,
/// and writes each record's bytes back into its segment file at the exact file position it was written to, then
/// fdatasyncs every file it wrote. The bytes are the ones the writer wrote there before the record, so replaying
/// twice, or replaying what already reached the segment, changes nothing: no offset is duplicated or skipped. A
/// record whose segment file is gone (a sealed segment deleted by retention, synced before it was sealed) is
/// skipped. The first bad record ends the journal: it was never acknowledged.
/// </summary>
internal static class JournalReplay
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Replays the journal; returns its epoch (0 when it has no valid header).</summary>
    public static long Run(string storeDirectory, SafeFileHandle journal)
    {
        var files = new Dictionary<string, SafeFileHandle?>(StringComparer.Ordinal);
        try
        {
            var epoch = Scan(journal, (in JournalFormat.RecordHeader header, ReadOnlySpan<byte> record) =>
                Apply(storeDirectory, files, header, record));
            foreach (var file in files.Values)
            {
                if (file is not null)
                    FileSync.DataSync(file);
            }
            return epoch;
        }
        finally
        {
            foreach (var file in files.Values)
                file?.Dispose();
        }
    }

    /// <summary>Where the valid records of the store's journal put their bytes (log, partition, segment, file
    /// position, length); tests use it to take those bytes away from the segments, as a power loss could.</summary>
    internal static List<(string Log, int Partition, long SegmentBaseOffset, long FilePosition, int Length)>
        ListRecords(string storeDirectory)
    {
        var records = new List<(string, int, long, long, int)>();
        var path = Path.Combine(storeDirectory, StoreJournal.FileName);
        if (!File.Exists(path))
            return records;
        using var journal = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Scan(journal, (in JournalFormat.RecordHeader header, ReadOnlySpan<byte> record) => records.Add((
            Encoding.UTF8.GetString(record.Slice(JournalFormat.RecordFixedBytes, header.NameLength)),
            header.Partition, header.SegmentBaseOffset, header.FilePosition, header.DataLength)));
        return records;
    }

    /// <summary>The epoch in the journal's header (0 without a journal or a valid header).</summary>
    internal static long ReadEpoch(string storeDirectory)
    {
        var path = Path.Combine(storeDirectory, StoreJournal.FileName);
        if (!File.Exists(path))
            return 0;
        using var journal = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return TryReadEpoch(journal, out var epoch) ? epoch : 0;
    }

    private delegate void RecordVisitor(in JournalFormat.RecordHeader header, ReadOnlySpan<byte> record);

    // Visits every valid record of the current epoch in file order; returns the epoch (0: no valid header).
    private static long Scan(SafeFileHandle journal, RecordVisitor visit)
    {
        var fileBytes = RandomAccess.GetLength(journal);
        if (fileBytes < JournalFormat.HeaderBytes || !TryReadEpoch(journal, out var epoch))
            return 0;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long position = JournalFormat.HeaderBytes, bufferStart = 0;
            var bufferLength = 0;
            while (position + JournalFormat.RecordFixedBytes <= fileBytes)
            {
                Fill(journal, ref buffer, ref bufferStart, ref bufferLength, position, JournalFormat.RecordFixedBytes);
                var header = JournalFormat.RecordHeader.Read(buffer.AsSpan((int)(position - bufferStart)));
                if (header.Length == 0 || header.Epoch != epoch || position + header.Length > fileBytes)
                    break;
                Fill(journal, ref buffer, ref bufferStart, ref bufferLength, position, header.Length);
                var record = buffer.AsSpan((int)(position - bufferStart), header.Length);
                if (!JournalFormat.CrcMatches(record, header.Crc))
                    break;
                visit(header, record);
                position += header.Length;
            }
            return epoch;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryReadEpoch(SafeFileHandle journal, out long epoch)
    {
        Span<byte> header = stackalloc byte[2 * JournalFormat.SlotBytes];
        epoch = 0;
        if (RandomAccess.Read(journal, header, 0) < header.Length)
            return false;
        var first = JournalFormat.TryReadSlot(header, out var a);
        var second = JournalFormat.TryReadSlot(header[JournalFormat.SlotBytes..], out var b);
        epoch = Math.Max(first ? a : 0, second ? b : 0);
        return epoch > 0;
    }

    private static void Apply(string storeDirectory, Dictionary<string, SafeFileHandle?> files,
        in JournalFormat.RecordHeader header, ReadOnlySpan<byte> record)
    {
        var name = Encoding.UTF8.GetString(record.Slice(JournalFormat.RecordFixedBytes, header.NameLength));
        if (!LogStore.IsValidName(name))
            return;
        var path = Path.Combine(storeDirectory, name,
            header.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Log.Segment.FileName(header.SegmentBaseOffset, ".log"));
        if (!files.TryGetValue(path, out var file))
        {
            // Only an existing segment is written: the writer created it (and synced its directory) before any
            // record named it.
            file = File.Exists(path) ? File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite) : null;
            files[path] = file;
        }
        if (file is not null)
            RandomAccess.Write(file, record[(JournalFormat.RecordFixedBytes + header.NameLength)..],
                header.FilePosition);
    }

    private static void Fill(SafeFileHandle handle, ref byte[] buffer, ref long bufferStart, ref int bufferLength,
        long position, int needed)
    {
        if (position >= bufferStart && position + needed <= bufferStart + bufferLength)
            return;
        if (needed > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(needed);
        }
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read), position + read);
            if (n == 0)
                break;
            read += n;
        }
        bufferStart = position;
        bufferLength = read;
    }
}
