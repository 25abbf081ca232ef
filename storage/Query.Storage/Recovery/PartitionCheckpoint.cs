using System.Buffers.Binary;
using Query.Storage.Format;
using Query.Storage.Log;
using Query.Storage.Native;

namespace Query.Storage.Recovery;

/// <summary>
/// The per-partition file <c>checkpoint</c>: the log start offset, the active segment's base offset and the
/// wall-clock time it started taking appends (so that roll by age survives a restart), and, for each sealed
/// segment, its offsets, timestamps and size as of sealing. A reopen trusts a sealed segment whose size still
/// matches (no rescan) and CRC-scans everything else, always including the active segment. Written to a temporary
/// file, fsynced and renamed, so it is either the old or the new one; a damaged checkpoint is ignored (everything is
/// scanned).
/// <code>
/// uint32 magic "QCKP" | int32 version 2 | int64 startOffset | int64 activeBaseOffset | int64 activeCreatedMs
/// | int32 count
/// count x (int64 baseOffset, int64 endOffset, int64 minTimestampMs, int64 maxTimestampMs, int64 sizeBytes)
/// uint32 crc32c of everything before
/// </code>
/// Version 1 (no active-segment fields) is still read; its active segment's age counts from the reopen.
/// </summary>
internal static class PartitionCheckpoint
{
    public const string FileName = "checkpoint";
    private const uint Magic = 0x504B4351; // "QCKP" little-endian
    private const int Version = 2;
    private const int HeaderBytesV1 = 4 + 4 + 8 + 4;
    private const int HeaderBytes = 4 + 4 + 8 + 8 + 8 + 4;
    private const int EntryBytes = 5 * 8;

    internal readonly record struct Entry(long BaseOffset, long EndOffset, long MinTimestampMs, long MaxTimestampMs,
        long SizeBytes);

    /// <summary>What a checkpoint says about the partition as a whole; ActiveCreatedMs is long.MinValue when
    /// unknown (version 1).</summary>
    internal readonly record struct Header(long StartOffset, long ActiveBaseOffset, long ActiveCreatedMs);

    public static void Write(string directory, long startOffset, ReadOnlySpan<Segment> sealedSegments,
        Segment active)
    {
        var bytes = new byte[HeaderBytes + (sealedSegments.Length * EntryBytes) + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), startOffset);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), active.BaseOffset);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), active.CreatedMs);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(32), sealedSegments.Length);
        var position = HeaderBytes;
        foreach (var segment in sealedSegments)
        {
            var span = bytes.AsSpan(position);
            BinaryPrimitives.WriteInt64LittleEndian(span, segment.BaseOffset);
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], segment.EndOffset);
            BinaryPrimitives.WriteInt64LittleEndian(span[16..], segment.MinTimestampMs);
            BinaryPrimitives.WriteInt64LittleEndian(span[24..], segment.MaxTimestampMs);
            BinaryPrimitives.WriteInt64LittleEndian(span[32..], segment.SizeBytes);
            position += EntryBytes;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position), Crc32C.Compute(bytes.AsSpan(0, position)));
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, bytes, 0);
            FileSync.DataSync(handle);
        }
        File.Move(temporary, path, overwrite: true);
        FileSync.SyncDirectory(directory);
    }

    /// <summary>Removes the checkpoint when the segments it lists no longer match (recovery cut them).</summary>
    public static void Delete(string directory) => File.Delete(Path.Combine(directory, FileName));

    public static bool TryRead(string directory, out Header header, out Dictionary<long, Entry> entries)
    {
        header = default;
        entries = [];
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return false;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderBytesV1 + 4 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
            return false;
        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        var headerBytes = version switch { 1 => HeaderBytesV1, Version => HeaderBytes, _ => -1 };
        if (headerBytes < 0 || bytes.Length < headerBytes + 4)
            return false;
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(headerBytes - 4));
        if (count < 0 || bytes.Length != headerBytes + ((long)count * EntryBytes) + 4)
            return false;
        var crcPosition = bytes.Length - 4;
        if (Crc32C.Compute(bytes.AsSpan(0,
            crcPosition)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(crcPosition)))
            return false;
        var startOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        header = version == 1
            ? new Header(startOffset, -1, long.MinValue)
            : new Header(startOffset, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)),
                BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24)));
        for (var i = 0; i < count; i++)
        {
            var span = bytes.AsSpan(headerBytes + (i * EntryBytes));
            var entry = new Entry(BinaryPrimitives.ReadInt64LittleEndian(span),
                BinaryPrimitives.ReadInt64LittleEndian(span[8..]), BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
                BinaryPrimitives.ReadInt64LittleEndian(span[24..]), BinaryPrimitives.ReadInt64LittleEndian(span[32..]));
            entries[entry.BaseOffset] = entry;
        }
        return true;
    }
}
