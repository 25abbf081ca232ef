using System.Buffers.Binary;
using System.Text;
using Query.Storage.Format;
using Query.Storage.Native;

namespace Query.Storage.Log;

/// <summary>
/// The per-partition file <c>retention.floors</c>: the retention floor each named holder keeps (see
/// <see cref="PartitionLog.HoldRetentionFloor"/>). Replaced whole (temporary file, fsync, rename), so it is
/// the old or the new set after any crash. A damaged file is an error, never ignored: ignoring it could let
/// retention delete what a holder has not archived yet.
/// <code>
/// uint32 magic "QFLR" | int32 version 1 | int32 count
/// count x (uint8 holderLength, holder (ASCII), int64 floorOffset)
/// uint32 crc32c of everything before
/// </code>
/// </summary>
internal static class RetentionFloorFile
{
    public const string FileName = "retention.floors";
    private const uint Magic = 0x524C4651; // "QFLR" little-endian
    private const int HeaderBytes = 4 + 4 + 4;

    public static Dictionary<string, long> Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var floors = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!File.Exists(path))
            return floors;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderBytes + 4 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != 1
            || Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4))
                != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)))
            throw new CorruptSegmentException(path, 0, "damaged retention floor file");
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        var position = HeaderBytes;
        for (var i = 0; i < count; i++)
        {
            if (position + 1 > bytes.Length - 4)
                throw new CorruptSegmentException(path, position, "retention floor entry past the end");
            var length = bytes[position];
            if (position + 1 + length + 8 > bytes.Length - 4)
                throw new CorruptSegmentException(path, position, "retention floor entry past the end");
            var holder = Encoding.ASCII.GetString(bytes, position + 1, length);
            floors[holder] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position + 1 + length));
            position += 1 + length + 8;
        }
        if (position != bytes.Length - 4)
            throw new CorruptSegmentException(path, position, "trailing bytes in the retention floor file");
        return floors;
    }

    public static void Write(string directory, IReadOnlyDictionary<string, long> floors)
    {
        var path = Path.Combine(directory, FileName);
        if (floors.Count == 0)
        {
            if (File.Exists(path))
                DurableFile.Delete(path);
            return;
        }
        var size = HeaderBytes + 4;
        foreach (var holder in floors.Keys)
            size += 1 + holder.Length + 8;
        var bytes = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), floors.Count);
        var position = HeaderBytes;
        foreach (var (holder, offset) in floors)
        {
            bytes[position] = (byte)holder.Length;
            Encoding.ASCII.GetBytes(holder, bytes.AsSpan(position + 1));
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(position + 1 + holder.Length), offset);
            position += 1 + holder.Length + 8;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position), Crc32C.Compute(bytes.AsSpan(0, position)));
        DurableFile.Replace(path, bytes);
    }
}
