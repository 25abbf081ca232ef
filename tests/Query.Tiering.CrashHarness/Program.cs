using System.Globalization;
using Query.Storage;
using Query.Tiering;
using Query.Tiering.Archival;
using Query.Tiering.CrashHarness;
using Query.Tiering.Tests;

// The child process of the tiering crash tests: Query.Tiering.CrashHarness DATA_DIR COLD_DIR [PARTITIONS]. Opens
// (and so recovers) the store and the cold tier, prints "ready END", then alternates appending 40 records to every
// partition (generated from their offsets, fsynced; "A END ." once acknowledged, END of the last partition) with
// archiving every sealed segment of every partition, all partitions at once, each with its own layout ("R END ."
// once every manifest is committed), until killed.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Query.Tiering.CrashHarness DATA_DIR COLD_DIR [PARTITIONS]");
    return 2;
}
var partitions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
await using var store = LogStore.Open(args[0]);
if (!store.TryGetLog(CrashRecords.LogName, out var log))
    log = store.CreateLog(CrashRecords.LogName, CrashRecords.Options with { Partitions = partitions });
var cold = new ColdStore(args[1]);
var archiver = new SegmentArchiver(new ColdFileOptions { RowGroupMaxRows = 64 });
Console.Out.WriteLine("ready " + log.GetPartition(partitions - 1).EndOffset.ToString(CultureInfo.InvariantCulture));
using var batch = new RecordBatchBuilder();
while (true)
{
    long end = 0;
    for (var p = 0; p < partitions; p++)
    {
        var partition = log.GetPartition(p);
        var next = partition.EndOffset;
        for (var offset = next; offset < next + 40; offset++)
        {
            batch.Add(CrashRecords.TimestampMs(offset), CrashRecords.Key(offset), true, CrashRecords.Value(offset),
                CrashRecords.Headers(offset));
        }
        var appended = await partition.AppendAsync(batch);
        batch.Clear();
        end = appended.BaseOffset + appended.Count;
    }
    Console.Out.WriteLine("A " + end.ToString(CultureInfo.InvariantCulture) + " .");
    await PartitionParallelism.ForEachAsync(partitions, partitions, p => archiver.ArchiveAsync(log.GetPartition(p),
        cold.GetTier(CrashRecords.LogName, p), new TestLayout(TestLayout.AllTypes), _ => true));
    Console.Out.WriteLine("R " + cold.GetTier(CrashRecords.LogName, partitions - 1).Manifest.EndOffset
        .ToString(CultureInfo.InvariantCulture) + " .");
}
