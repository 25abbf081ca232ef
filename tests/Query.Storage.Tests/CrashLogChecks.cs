using Query.Testing;

namespace Query.Storage.Tests;

/// <summary>What a crash test checks in a partition Query.CrashHarness appended to, once the kills are over.</summary>
internal static class CrashLogChecks
{
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

    /// <summary>A further check of each record <see cref="VerifyDenseOnceAndOrdered"/> reads, with its identity.
    /// </summary>
    public delegate void RecordCheck(LogRecord record, (int Run, int Task, long Sequence, int Index) id);

    /// <summary>
    /// Asserts what holds of acknowledged and unacknowledged appends alike: offsets from 0 to the end are dense, each
    /// holds a harness record (and passes <paramref name="check"/>), none is there twice, and each appender's records
    /// are in the order it appended them. A failure names the partition when <paramref name="namePartition"/>.
    /// </summary>
    public static void VerifyDenseOnceAndOrdered(PartitionLog partition, bool namePartition, RecordCheck? check = null)
    {
        var where = namePartition ? $"partition {partition.Partition}: " : "";
        var seen = new HashSet<(int, int, long, int)>();
        var last = new Dictionary<(int Run, int Task), (long Sequence, int Index)>();
        using var reader = partition.OpenReader(0);
        var expectedOffset = 0L;
        while (reader.TryRead(out var record))
        {
            Assert.Equal(expectedOffset++, record.Offset);
            Assert.True(StorageCrashRecords.TryParseIdentity(record.Value, out var id),
                $"{where}offset {record.Offset} is garbage");
            check?.Invoke(record, id);
            Assert.True(seen.Add(id), $"record {id} appears twice");
            if (last.TryGetValue((id.Run, id.Task), out var previous))
                Assert.True(id.Sequence > previous.Sequence
                    || (id.Sequence == previous.Sequence && id.Index == previous.Index + 1),
                    $"record {id} is out of order");
            last[(id.Run, id.Task)] = (id.Sequence, id.Index);
        }
        Assert.Equal(partition.EndOffset, expectedOffset);
    }
}
