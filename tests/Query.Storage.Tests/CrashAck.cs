using System.Globalization;
using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>
/// An append Query.CrashHarness acknowledged: <c>A baseOffset count run task sequence .</c>, or
/// <c>A partition baseOffset count run task sequence .</c> from a workload over several partitions (Partition is 0
/// in the first form). <see cref="VerifyAcknowledged"/> proves that every one reads back.
/// </summary>
internal readonly record struct CrashAck(int Partition, long BaseOffset, int Count, int Run, int Task, long Sequence)
{
    /// <summary>Parses an acknowledgement line of the form <paramref name="partitioned"/> says; false for any other
    /// line, a cut one included.</summary>
    public static bool TryParse(string line, bool partitioned, out CrashAck ack)
    {
        ack = default;
        var parts = line.Split(' ');
        var first = partitioned ? 2 : 1;   // where baseOffset stands
        if (parts.Length != first + 6 || parts[0] != "A" || parts[^1] != ".")
            return false;
        static long N(string text) => long.Parse(text, CultureInfo.InvariantCulture);
        ack = new CrashAck(partitioned ? (int)N(parts[1]) : 0, N(parts[first]), (int)N(parts[first + 1]),
            (int)N(parts[first + 2]), (int)N(parts[first + 3]), N(parts[first + 4]));
        return true;
    }

    /// <summary>
    /// Asserts that every record of <paramref name="acks"/> (sorted here by offset) is at its offset in
    /// <paramref name="partition"/> with the bytes the harness appended; a failure names the partition when
    /// <paramref name="namePartition"/>.
    /// </summary>
    public static void VerifyAcknowledged(PartitionLog partition, List<CrashAck> acks, bool namePartition)
    {
        var where = namePartition ? $"partition {partition.Partition}: " : "";
        acks.Sort((a, b) => a.BaseOffset.CompareTo(b.BaseOffset));
        using var reader = partition.OpenReader(0);
        foreach (var ack in acks)
        {
            for (var index = 0; index < ack.Count; index++)
            {
                var offset = ack.BaseOffset + index;
                LogRecord record;
                do
                {
                    Assert.True(reader.TryRead(out record), $"{where}acknowledged offset {offset} is missing");
                }
                while (record.Offset < offset);
                Assert.Equal(offset, record.Offset);
                var expected = StorageCrashRecords.Value(ack.Run, ack.Task, ack.Sequence, index);
                Assert.True(record.Value.SequenceEqual(expected), $"{where}offset {offset} holds different bytes");
            }
        }
    }
}
