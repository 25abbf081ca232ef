using System.Buffers.Binary;
using Query.Storage.Format;

namespace Query.Storage.Journal;

/// <summary>
/// Layout of the store's <c>journal</c> file (storage/FORMAT.md, "The journal"): two header slots, then records
/// back to back from <see cref="HeaderBytes"/>. A slot holds the current epoch; a record is valid only with a good
/// CRC and the current epoch, so records of an earlier epoch left in a recycled file are never replayed.
/// </summary>
internal static class JournalFormat
{
    public const int HeaderBytes = 4096;
    public const int SlotBytes = 512;
    public const int SlotSize = 20;
    public const uint Magic = 0x4C4E4A51;     // "QJNL"
    public const int Version = 1;

    // int32 length | uint32 crc32c of [8, length) | int64 epoch | int32 partition | int64 segmentBaseOffset
    // | int64 filePosition | uint16 nameLength | name | data
    public const int RecordFixedBytes = 38;
    private const int CrcFrom = 8;

    public static int RecordSize(int nameBytes, int dataBytes) => RecordFixedBytes + nameBytes + dataBytes;

    public static void WriteSlot(Span<byte> slot, long epoch)
    {
        slot[..SlotBytes].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(slot, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(slot[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(slot[8..], epoch);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[16..], Crc32C.Compute(slot[..16]));
    }

    public static bool TryReadSlot(ReadOnlySpan<byte> slot, out long epoch)
    {
        epoch = 0;
        if (slot.Length < SlotSize || BinaryPrimitives.ReadUInt32LittleEndian(slot) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(slot[4..]) != Version
            || BinaryPrimitives.ReadUInt32LittleEndian(slot[16..]) != Crc32C.Compute(slot[..16]))
            return false;
        epoch = BinaryPrimitives.ReadInt64LittleEndian(slot[8..]);
        return epoch > 0;
    }

    /// <summary>Writes a record without its epoch and CRC, which <see cref="Seal"/> adds when it is written.</summary>
    public static void WriteRecord(Span<byte> record, ReadOnlySpan<byte> logName, int partition,
        long segmentBaseOffset, long filePosition, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteInt32LittleEndian(record, RecordSize(logName.Length, data.Length));
        BinaryPrimitives.WriteInt32LittleEndian(record[16..], partition);
        BinaryPrimitives.WriteInt64LittleEndian(record[20..], segmentBaseOffset);
        BinaryPrimitives.WriteInt64LittleEndian(record[28..], filePosition);
        BinaryPrimitives.WriteUInt16LittleEndian(record[36..], (ushort)logName.Length);
        logName.CopyTo(record[RecordFixedBytes..]);
        data.CopyTo(record[(RecordFixedBytes + logName.Length)..]);
    }

    /// <summary>Stamps every record of a write with the epoch and its CRC.</summary>
    public static void Seal(Span<byte> records, long epoch)
    {
        while (records.Length > 0)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(records);
            var record = records[..length];
            BinaryPrimitives.WriteInt64LittleEndian(record[CrcFrom..], epoch);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C.Compute(record[CrcFrom..]));
            records = records[length..];
        }
    }

    /// <summary>A record's fixed fields; <see cref="Length"/> is 0 when the bytes cannot start a record.</summary>
    public readonly record struct RecordHeader(int Length, uint Crc, long Epoch, int Partition,
        long SegmentBaseOffset, long FilePosition, int NameLength)
    {
        public static RecordHeader Read(ReadOnlySpan<byte> bytes)
        {
            var header = new RecordHeader(BinaryPrimitives.ReadInt32LittleEndian(bytes),
                BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
                BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]),
                BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]),
                BinaryPrimitives.ReadInt64LittleEndian(bytes[20..]),
                BinaryPrimitives.ReadInt64LittleEndian(bytes[28..]),
                BinaryPrimitives.ReadUInt16LittleEndian(bytes[36..]));
            var plausible = header.Length > RecordFixedBytes + header.NameLength && header.NameLength is > 0 and <= 200
                && header.Partition >= 0 && header.SegmentBaseOffset >= 0 && header.FilePosition >= 0;
            return plausible ? header : default;
        }

        public int DataLength => Length - RecordFixedBytes - NameLength;
    }

    public static bool CrcMatches(ReadOnlySpan<byte> record, uint crc) => Crc32C.Compute(record[CrcFrom..]) == crc;
}
