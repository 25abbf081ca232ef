using Query.Storage;
using Query.Tiering.Tests;

namespace Query.Tiering.CrashHarness;

/// <summary>The record at each offset of the crash log, derived from the offset alone.</summary>
public static class CrashRecords
{
    public const string LogName = "t";

    public static readonly LogOptions Options = new() { SegmentMaxBytes = 16 * 1024, Durability = DurabilityMode.Sync };

    public static long TimestampMs(long offset) => RowGenerator.BaseTimestampMs + (offset * 60_000);

    public static byte[] Key(long offset) => BitConverter.GetBytes(offset);

    public static byte[] Value(long offset) =>
        TestLayout.EncodeRow(TestLayout.AllTypes, new RowGenerator((int)offset).NextRow(offset));

    public static RecordHeader[] Headers(long offset) =>
        offset % 3 == 0 ? [new RecordHeader("n", BitConverter.GetBytes(offset))] : [];
}
