using System.Globalization;
using Query.Storage;
using Query.Tiering;
using Query.Tiering.Archival;
using Query.Tiering.CrashHarness;
using Query.Tiering.Tests;

// The child process of the tiering crash test: Query.Tiering.CrashHarness DATA_DIR COLD_DIR. Opens (and so
// recovers) the store and the cold tier, prints "ready END", then alternates appending 40 records (generated
// from their offsets, fsynced; "A END ." once acknowledged) with archiving every sealed segment ("R END ."
// once the manifest is committed), until killed.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Query.Tiering.CrashHarness DATA_DIR COLD_DIR");
    return 2;
}
await using var store = LogStore.Open(args[0]);
if (!store.TryGetLog(CrashRecords.LogName, out var log))
    log = store.CreateLog(CrashRecords.LogName, CrashRecords.Options);
var partition = log.GetPartition(0);
var tier = new ColdStore(args[1]).GetTier(CrashRecords.LogName, 0);
var layout = new TestLayout(TestLayout.AllTypes);
var archiver = new SegmentArchiver(new ColdFileOptions { RowGroupMaxRows = 64 });
Console.Out.WriteLine("ready " + partition.EndOffset.ToString(CultureInfo.InvariantCulture));
using var batch = new RecordBatchBuilder();
while (true)
{
    var next = partition.EndOffset;
    for (var offset = next; offset < next + 40; offset++)
    {
        batch.Add(CrashRecords.TimestampMs(offset), CrashRecords.Key(offset), true, CrashRecords.Value(offset),
            CrashRecords.Headers(offset));
    }
    var appended = await partition.AppendAsync(batch);
    batch.Clear();
    Console.Out.WriteLine("A " + (appended.BaseOffset + appended.Count).ToString(CultureInfo.InvariantCulture) + " .");
    await archiver.ArchiveAsync(partition, tier, layout, _ => true);
    Console.Out.WriteLine("R " + tier.Manifest.EndOffset.ToString(CultureInfo.InvariantCulture) + " .");
}
