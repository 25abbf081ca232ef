using Query.Storage.Journal;
using Query.Storage.Log;

namespace Query.Storage.Tests;

/// <summary>Crash images of a store, and the loss a power failure could inflict on them under the journal.</summary>
internal static class JournalTestKit
{
    /// <summary>Copies a live store's files as a kill would leave them (the page cache is still there).</summary>
    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from))
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }

    /// <summary>
    /// Zero-fills, in the segment files, every byte range a valid journal record covers: what a power loss could
    /// take from segments the journal made durable without syncing them (more, even: some of those ranges may have
    /// been synced). Returns the bytes zeroed.
    /// </summary>
    public static long LoseJournaledSegmentBytes(string storeDirectory)
    {
        long zeroed = 0;
        foreach (var (log, partition, segmentBase, position, length) in JournalReplay.ListRecords(storeDirectory))
        {
            var path = Path.Combine(storeDirectory, log,
                partition.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Segment.FileName(segmentBase, ".log"));
            if (!File.Exists(path))
                continue;
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.Write(file, new byte[length], position);
            zeroed += length;
        }
        return zeroed;
    }

    /// <summary>Journal records (valid, current epoch) naming <paramref name="log"/>.</summary>
    public static int RecordsNaming(string storeDirectory, string log)
    {
        var count = 0;
        foreach (var record in JournalReplay.ListRecords(storeDirectory))
        {
            if (record.Log == log)
                count++;
        }
        return count;
    }
}
