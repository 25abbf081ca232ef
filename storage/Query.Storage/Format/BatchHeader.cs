using System.Buffers.Binary;

namespace Query.Storage.Format;

/// <summary>
/// The fixed 40-byte batch header (little-endian); see storage/FORMAT.md.
/// <code>
///  0 int64  baseOffset      8 int32 batchLength (header included)   12 uint32 crc32c of [16, batchLength)
/// 16 uint8  formatVersion  17 uint8 attributes  18 uint16 reserved  20 int32  recordCount
/// 24 int64  minTimestampMs 32 int64 maxTimestampMs                  40 records
/// </code>
/// The base offset is outside the CRC so the writer can assign it without rehashing the batch; it is checked
/// against the expected sequence instead.
/// </summary>
internal readonly struct BatchHeader
{
    public const int Size = 40;
    public const byte CurrentVersion = 1;
    public const int CrcStart = 16;

    /// <summary>Attribute bit: a batch of a one-partition transaction that a later batch of it completes; a
    /// trailing run of such batches is an unfinished transaction, cut by recovery.</summary>
    public const byte ContinuedAttribute = 1;

    /// <summary>Attribute bit: a share of a multi-partition transaction, committed only if the store's commit
    /// record names it; a trailing run of such batches past the recorded end is cut by recovery.</summary>
    public const byte PendingAttribute = 2;

    public readonly long BaseOffset;
    public readonly int BatchLength;
    public readonly uint Crc;
    public readonly byte Version;
    public readonly byte Attributes;
    public readonly int RecordCount;
    public readonly long MinTimestampMs;
    public readonly long MaxTimestampMs;

    private BatchHeader(ReadOnlySpan<byte> header)
    {
        BaseOffset = BinaryPrimitives.ReadInt64LittleEndian(header);
        BatchLength = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        Crc = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        Version = header[16];
        Attributes = header[17];
        RecordCount = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        MinTimestampMs = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        MaxTimestampMs = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
    }

    public long EndOffset => BaseOffset + RecordCount;

    public static BatchHeader Read(ReadOnlySpan<byte> header) => new(header);

    /// <summary>Structural checks that need no payload: a header failing them is garbage, not a batch.</summary>
    public bool IsPlausible =>
        Version == CurrentVersion && BatchLength >= Size + RecordFormat.MinRecordBytes * (long)RecordCount
        && BatchLength <= LogOptions.MaxBatchBytes && RecordCount > 0 && BaseOffset >= 0
        && MinTimestampMs <= MaxTimestampMs;

    public static void WriteBaseOffset(Span<byte> batch, long baseOffset) =>
        BinaryPrimitives.WriteInt64LittleEndian(batch, baseOffset);

    /// <summary>Fills everything but the base offset and computes the CRC over the finished batch.</summary>
    public static void Seal(Span<byte> batch, int recordCount, long minTimestampMs, long maxTimestampMs,
        byte attributes)
    {
        BinaryPrimitives.WriteInt32LittleEndian(batch[8..], batch.Length);
        batch[16] = CurrentVersion;
        batch[17] = attributes;
        BinaryPrimitives.WriteUInt16LittleEndian(batch[18..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(batch[20..], recordCount);
        BinaryPrimitives.WriteInt64LittleEndian(batch[24..], minTimestampMs);
        BinaryPrimitives.WriteInt64LittleEndian(batch[32..], maxTimestampMs);
        BinaryPrimitives.WriteUInt32LittleEndian(batch[12..], ComputeCrc(batch));
    }

    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[CrcStart..]);

    public bool CrcMatches(ReadOnlySpan<byte> batch) => ComputeCrc(batch[..BatchLength]) == Crc;
}
