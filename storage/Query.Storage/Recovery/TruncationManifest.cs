using System.Buffers.Binary;
using System.Globalization;
using Query.Storage.Format;
using Query.Storage.Log;
using Query.Storage.Native;

namespace Query.Storage.Recovery;

/// <summary>
/// The file <c>truncating</c> in a partition directory: a truncation decided but maybe not finished. Written
/// durably before any file changes and deleted after all of them; recovery applies one it finds before anything
/// else, and applying it twice changes nothing, so a truncation is wholly done or not at all after any crash.
/// <code>
/// uint32 magic "QTRN" | int32 version 1 | int64 endOffset | int64 segmentBaseOffset | int64 cutPosition
/// | int32 headLength | head (a batch: the kept records of the batch cut through) | uint32 crc32c of all before
/// </code>
/// Applying it: delete every segment after <c>segmentBaseOffset</c> (newest first, so a crash leaves a chain
/// without gaps), cut that segment's file at <c>cutPosition</c>, write the head there, fdatasync, fsync the
/// directory.
/// </summary>
internal static class TruncationManifest
{
    public const string FileName = "truncating";
    private const uint Magic = 0x4E525451; // "QTRN" little-endian
    private const int FixedBytes = 4 + 4 + 8 + 8 + 8 + 4;

    internal readonly record struct Plan(long EndOffset, long SegmentBaseOffset, long CutPosition, byte[] Head);

    public static void Write(string directory, Plan plan)
    {
        var bytes = new byte[FixedBytes + plan.Head.Length + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), plan.EndOffset);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), plan.SegmentBaseOffset);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), plan.CutPosition);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(32), plan.Head.Length);
        plan.Head.CopyTo(bytes.AsSpan(FixedBytes));
        var crcPosition = bytes.Length - 4;
        var crc = Crc32C.Compute(bytes.AsSpan(0, crcPosition));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(crcPosition), crc);
        DurableFile.Replace(Path.Combine(directory, FileName), bytes);
    }

    public static void Delete(string directory) => DurableFile.Delete(Path.Combine(directory, FileName));

    /// <summary>Finishes a truncation a crash cut short (on open, before the segments are listed).</summary>
    public static void RollForward(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return;
        Apply(directory, Read(path));
        Delete(directory);
    }

    public static void Apply(string directory, Plan plan)
    {
        var later = new List<long>();
        foreach (var logPath in System.IO.Directory.EnumerateFiles(directory, "*.log"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(logPath), NumberStyles.None,
                    CultureInfo.InvariantCulture, out var baseOffset) && baseOffset > plan.SegmentBaseOffset)
                later.Add(baseOffset);
        }
        later.Sort();
        for (var i = later.Count - 1; i >= 0; i--)
        {
            foreach (var extension in new[] { ".log", ".index", ".timeindex" })
                File.Delete(Path.Combine(directory, Segment.FileName(later[i], extension)));
        }
        var segmentPath = Path.Combine(directory, Segment.FileName(plan.SegmentBaseOffset, ".log"));
        using (var handle = File.OpenHandle(segmentPath, FileMode.Open, FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete))
        {
            RandomAccess.SetLength(handle, plan.CutPosition);
            if (plan.Head.Length > 0)
                RandomAccess.Write(handle, plan.Head, plan.CutPosition);
            FileSync.DataSync(handle);
        }
        FileSync.SyncDirectory(directory);
    }

    private static Plan Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var crcPosition = bytes.Length - 4;
        if (bytes.Length < FixedBytes + 4 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != 1
            || Crc32C.Compute(bytes.AsSpan(0, crcPosition))
                != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(crcPosition))
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32)) != bytes.Length - FixedBytes - 4)
            throw new CorruptSegmentException(path, 0, "damaged truncation manifest");
        return new Plan(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)),
            BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)),
            BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24)),
            bytes.AsSpan(FixedBytes, bytes.Length - FixedBytes - 4).ToArray());
    }
}
