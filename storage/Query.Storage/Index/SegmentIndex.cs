using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Query.Storage.Index;

/// <summary>
/// The sparse offset index and time index of one segment, kept in memory for lookups and mirrored to two
/// files so a reopen need not rescan sealed segments. Both get an entry at the same batches: the first
/// batch of the segment and then the first batch starting at least <see cref="IntervalBytes"/> after the
/// previous entry.
/// <list type="bullet">
/// <item><c>.index</c>: 8-byte entries (int32 relativeOffset, int32 filePosition of the batch).</item>
/// <item><c>.timeindex</c>: 12-byte entries (int64 maxTimestampBefore, int32 relativeOffset), where
/// maxTimestampBefore is the largest timestamp of all records in the segment before that batch, so the
/// column is non-decreasing even when record timestamps are not, and binary search stays correct.</item>
/// </list>
/// One writer appends; readers search concurrently. Entries below the published count never change, and a
/// grown array holds copies of them, so a reader that sees a count can use any array version it sees.
/// <para>In memory only, each entry also knows the smallest and largest timestamp of its block (its batch and
/// the unindexed ones after it, up to the next entry), so a time-range reader jumps over blocks outside its
/// range, after it as well as before it, whatever the order of timestamps (<see cref="FindBlockOverlapping"/>).
/// The writer widens the last block before it publishes the batches in it, so a reader that read a segment's
/// published size sees bounds covering every batch below it. Indexes loaded from files do not have them (the
/// file format has no such column): their blocks count as overlapping every range until the first time-range
/// reader gets them from the batch headers (<see cref="Log.BlockBoundsScan"/>).</para>
/// </summary>
internal sealed class SegmentIndex
{
    public const int IntervalBytes = 4096;
    public const int OffsetEntryBytes = 8;
    public const int TimeEntryBytes = 12;

    private Entry[] _entries = new Entry[16];
    private int _count;
    private int _persistedCount;
    private bool _hasBlockBounds = true;
    private long _lastIndexedPosition = -IntervalBytes;
    private long _maxTimestampSoFar = long.MinValue;
    private long[]? _suffixMinimums;   // a sealed segment's: the smallest block minimum from each entry on

    private struct Entry(int relativeOffset, int filePosition, long maxTimestampBefore)
    {
        public readonly int RelativeOffset = relativeOffset;
        public readonly int FilePosition = filePosition;
        public readonly long MaxTimestampBefore = maxTimestampBefore;
        public long BlockMinTimestampMs = long.MinValue;    // unknown (loaded from files): overlaps everything
        public long BlockMaxTimestampMs = long.MaxValue;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>False for an index loaded from its files until <see cref="SetBlockBounds"/> gives it bounds.
    /// </summary>
    public bool HasBlockBounds => Volatile.Read(ref _hasBlockBounds);

    /// <summary>File position of the batch of entry <paramref name="entry"/>.</summary>
    public long EntryPosition(int entry) => Volatile.Read(ref _entries)[entry].FilePosition;

    /// <summary>
    /// Sets every block's bounds of a sealed segment's index (found by reading its batch headers). Readers may
    /// search meanwhile: a block whose bounds are half written still covers everything in it, because the
    /// unknown bounds it replaces are the widest.
    /// </summary>
    public void SetBlockBounds(long[] minimums, long[] maximums)
    {
        var entries = Volatile.Read(ref _entries);
        for (var i = 0; i < minimums.Length; i++)
        {
            entries[i].BlockMinTimestampMs = minimums[i];
            entries[i].BlockMaxTimestampMs = maximums[i];
        }
        Volatile.Write(ref _hasBlockBounds, true);
    }

    /// <summary>Called for every batch appended (or found by a scan), in order, before it is published.</summary>
    public void OnBatch(int relativeOffset, long filePosition, long batchMinTimestampMs, long batchMaxTimestampMs)
    {
        if (filePosition - _lastIndexedPosition >= IntervalBytes)
        {
            if (_count == _entries.Length)
            {
                var grown = new Entry[_entries.Length * 2];
                _entries.AsSpan().CopyTo(grown);
                Volatile.Write(ref _entries, grown);
            }
            _entries[_count] = new Entry(relativeOffset, (int)filePosition, _maxTimestampSoFar)
            {
                BlockMinTimestampMs = batchMinTimestampMs,
                BlockMaxTimestampMs = batchMaxTimestampMs,
            };
            Volatile.Write(ref _count, _count + 1);
            _lastIndexedPosition = filePosition;
        }
        else
        {
            // Each field only widens and is written whole, so a concurrent reader sees old or new bounds of a
            // batch it cannot read yet (it is published after this), and exact bounds for all below.
            ref var last = ref _entries[_count - 1];
            if (batchMinTimestampMs < last.BlockMinTimestampMs)
                last.BlockMinTimestampMs = batchMinTimestampMs;
            if (batchMaxTimestampMs > last.BlockMaxTimestampMs)
                last.BlockMaxTimestampMs = batchMaxTimestampMs;
        }
        _maxTimestampSoFar = Math.Max(_maxTimestampSoFar, batchMaxTimestampMs);
    }

    /// <summary>
    /// From the block holding <paramref name="filePosition"/> on, the first block whose timestamps overlap
    /// [<paramref name="minTimestampMs"/>, <paramref name="maxTimestampMs"/>]: the file position of its
    /// indexed batch, and where the block after it starts (<c>long.MaxValue</c> for the last block). False when
    /// no block from there on overlaps; then <paramref name="blockPosition"/> is the last block's start, the one
    /// block that may still grow (in an active segment).
    /// </summary>
    public bool FindBlockOverlapping(long filePosition, long minTimestampMs, long maxTimestampMs,
        out long blockPosition, out long nextBlockPosition)
    {
        var count = Volatile.Read(ref _count);
        var entries = Volatile.Read(ref _entries);
        var i = Math.Max(0, FindEntry(entries, count, filePosition));
        for (; i < count; i++)
        {
            ref readonly var entry = ref entries[i];
            if (entry.BlockMinTimestampMs <= maxTimestampMs && entry.BlockMaxTimestampMs >= minTimestampMs)
                break;
        }
        var found = i < count;
        i = Math.Min(i, count - 1);
        blockPosition = i < 0 ? 0 : entries[i].FilePosition;
        nextBlockPosition = i + 1 < count ? entries[i + 1].FilePosition : long.MaxValue;
        return found;
    }

    /// <summary>
    /// Adds to <paramref name="ranges"/> the offsets [start, end) of every block whose timestamps overlap
    /// [<paramref name="minTimestampMs"/>, <paramref name="maxTimestampMs"/>], below <paramref name="endOffset"/>,
    /// in order, adjacent blocks merged: every record of the segment in that time range lies in them, whatever the
    /// order of timestamps. Blocks before the last entry whose records all precede the range are not looked at; in
    /// a sealed segment (<paramref name="isSealed"/>) neither are those after the last that can overlap.
    /// </summary>
    public void AddBlockRanges(long baseOffset, long endOffset, long minTimestampMs, long maxTimestampMs,
        bool isSealed, List<(long Start, long End)> ranges)
    {
        var count = Volatile.Read(ref _count);
        var entries = Volatile.Read(ref _entries);
        var suffixMinimums = isSealed && HasBlockBounds ? SuffixMinimums(entries, count) : null;
        for (var i = Math.Max(0, FindEntryForTimestamp(entries, count, minTimestampMs)); i < count; i++)
        {
            if (suffixMinimums is not null && suffixMinimums[i] > maxTimestampMs)
                break;
            ref readonly var entry = ref entries[i];
            var start = baseOffset + entry.RelativeOffset;
            if (start >= endOffset)
                break;
            if (entry.BlockMinTimestampMs > maxTimestampMs || entry.BlockMaxTimestampMs < minTimestampMs)
                continue;
            var end = i + 1 < count ? Math.Min(endOffset, baseOffset + entries[i + 1].RelativeOffset) : endOffset;
            if (ranges.Count > 0 && ranges[^1].End == start)
                ranges[^1] = (ranges[^1].Start, end);
            else
                ranges.Add((start, end));
        }
    }

    // Built once per sealed segment (its entries and bounds no longer change); racing builders build the same.
    private long[] SuffixMinimums(Entry[] entries, int count)
    {
        if (Volatile.Read(ref _suffixMinimums) is { } built && built.Length == count)
            return built;
        var minimums = new long[count];
        var minimum = long.MaxValue;
        for (var i = count - 1; i >= 0; i--)
            minimums[i] = minimum = Math.Min(minimum, entries[i].BlockMinTimestampMs);
        Volatile.Write(ref _suffixMinimums, minimums);
        return minimums;
    }

    // The last entry before which every record is older than the timestamp; -1 when none.
    private static int FindEntryForTimestamp(Entry[] entries, int count, long timestampMs)
    {
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].MaxTimestampBefore < timestampMs)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    // The last entry at or before the file position; -1 when none.
    private static int FindEntry(Entry[] entries, int count, long filePosition)
    {
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].FilePosition <= filePosition)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    /// <summary>File position of the last indexed batch whose base is at or before the relative offset.</summary>
    public long FindPosition(long relativeOffset)
    {
        var count = Volatile.Read(ref _count);
        var entries = Volatile.Read(ref _entries);
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].RelativeOffset <= relativeOffset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : entries[found].FilePosition;
    }

    /// <summary>
    /// File position of the last indexed batch before which every record is older than the timestamp: no
    /// record at or after the timestamp can precede it.
    /// </summary>
    public long FindPositionForTimestamp(long timestampMs)
    {
        var count = Volatile.Read(ref _count);
        var entries = Volatile.Read(ref _entries);
        var found = FindEntryForTimestamp(entries, count, timestampMs);
        return found < 0 ? 0 : entries[found].FilePosition;
    }

    public void ResetPersisted() => _persistedCount = 0;

    /// <summary>Writes entries added since the last call to the end of both index files.</summary>
    public void Persist(SafeFileHandle offsetIndex, SafeFileHandle timeIndex)
    {
        var count = _count;
        if (count == _persistedCount)
            return;
        var added = count - _persistedCount;
        Span<byte> offsetBytes = added <= 256 ? stackalloc byte[added * OffsetEntryBytes]
            : new byte[added * OffsetEntryBytes];
        Span<byte> timeBytes = added <= 256 ? stackalloc byte[added * TimeEntryBytes]
            : new byte[added * TimeEntryBytes];
        for (var i = 0; i < added; i++)
        {
            var entry = _entries[_persistedCount + i];
            BinaryPrimitives.WriteInt32LittleEndian(offsetBytes[(i * OffsetEntryBytes)..], entry.RelativeOffset);
            BinaryPrimitives.WriteInt32LittleEndian(offsetBytes[(i * OffsetEntryBytes + 4)..], entry.FilePosition);
            BinaryPrimitives.WriteInt64LittleEndian(timeBytes[(i * TimeEntryBytes)..], entry.MaxTimestampBefore);
            BinaryPrimitives.WriteInt32LittleEndian(timeBytes[(i * TimeEntryBytes + 8)..], entry.RelativeOffset);
        }
        RandomAccess.Write(offsetIndex, offsetBytes, (long)_persistedCount * OffsetEntryBytes);
        RandomAccess.Write(timeIndex, timeBytes, (long)_persistedCount * TimeEntryBytes);
        _persistedCount = count;
    }

    /// <summary>
    /// Loads both files of a sealed segment; null when either is missing, torn, inconsistent with the other,
    /// out of order or pointing past the segment (the caller then rebuilds them with a scan).
    /// </summary>
    public static SegmentIndex? TryLoad(string offsetIndexPath, string timeIndexPath, long segmentSizeBytes,
        long segmentMaxTimestampMs)
    {
        if (!File.Exists(offsetIndexPath) || !File.Exists(timeIndexPath))
            return null;
        var offsetBytes = File.ReadAllBytes(offsetIndexPath);
        var timeBytes = File.ReadAllBytes(timeIndexPath);
        var count = offsetBytes.Length / OffsetEntryBytes;
        if (offsetBytes.Length % OffsetEntryBytes != 0 || timeBytes.Length != count * TimeEntryBytes
            || (count == 0) != (segmentSizeBytes == 0))
            return null;
        var index = new SegmentIndex { _entries = new Entry[Math.Max(16, count)], _hasBlockBounds = false };
        for (var i = 0; i < count; i++)
        {
            var entry = new Entry(BinaryPrimitives.ReadInt32LittleEndian(offsetBytes.AsSpan(i * OffsetEntryBytes)),
                BinaryPrimitives.ReadInt32LittleEndian(offsetBytes.AsSpan(i * OffsetEntryBytes + 4)),
                BinaryPrimitives.ReadInt64LittleEndian(timeBytes.AsSpan(i * TimeEntryBytes)));
            var timeRelative = BinaryPrimitives.ReadInt32LittleEndian(timeBytes.AsSpan(i * TimeEntryBytes + 8));
            if (!index.IsValidNext(entry, i, timeRelative, segmentSizeBytes, segmentMaxTimestampMs))
                return null;
            index._entries[i] = entry;
        }
        index._count = index._persistedCount = count;
        index._lastIndexedPosition = count > 0 ? index._entries[count - 1].FilePosition : -IntervalBytes;
        index._maxTimestampSoFar = segmentMaxTimestampMs;
        return index;
    }

    private bool IsValidNext(Entry entry, int i, int timeRelative, long segmentSizeBytes, long segmentMaxTimestampMs)
    {
        if (timeRelative != entry.RelativeOffset || entry.FilePosition >= segmentSizeBytes
            || entry.MaxTimestampBefore > segmentMaxTimestampMs)
            return false;
        if (i == 0)
            return entry.RelativeOffset == 0 && entry.FilePosition == 0 && entry.MaxTimestampBefore == long.MinValue;
        var previous = _entries[i - 1];
        return entry.RelativeOffset > previous.RelativeOffset
            && entry.FilePosition - previous.FilePosition >= IntervalBytes
            && entry.MaxTimestampBefore >= previous.MaxTimestampBefore;
    }
}
