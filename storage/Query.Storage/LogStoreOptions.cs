namespace Query.Storage;

/// <summary>Settings of a whole store (a data directory), as opposed to one log's <see cref="LogOptions"/>.</summary>
public sealed record LogStoreOptions
{
    /// <summary>
    /// The shared durable journal (<c>journal</c> in the data directory, see storage/FORMAT.md): appends to logs
    /// with durability <see cref="DurabilityMode.Sync"/> of at most <see cref="JournalMaxRecordBytes"/> are made
    /// durable by one write and one fdatasync of the journal shared by every partition of the store, instead of an
    /// fdatasync of each partition's segment; the segments are synced lazily (when the journal is recycled, at a
    /// roll, on close). Off: every partition fdatasyncs its own segment, as before.
    /// </summary>
    public bool Journal { get; init; } = true;

    /// <summary>The journal file grows (zero-filled, so a write never changes the file's size) up to this size,
    /// then is recycled: every segment it covers is fdatasynced and writing starts again at its head.</summary>
    public long JournalMaxBytes { get; init; } = 64L << 20;

    /// <summary>A group of appends to one partition larger than this bypasses the journal and fdatasyncs its
    /// segment (a large write gains nothing from sharing an fsync, and would be written twice).</summary>
    public int JournalMaxRecordBytes { get; init; } = 64 << 10;

    /// <summary>Bytes of records waiting for the journal's next write; appenders beyond it wait (bounded).</summary>
    public int JournalBufferBytes { get; init; } = 1 << 20;

    /// <summary>
    /// An appender on a thread of its own (not the thread pool) that finds its partition idle writes its group and
    /// leads the journal write itself, instead of the partition's loop on the thread pool (see README, "One writer
    /// per partition at a time"). Off by default: on the 2-vCPU Firecracker VM this was measured on, a lone appender
    /// fsyncing on its own thread left the vCPU idle during the flush, whose completion then took about 5 ms
    /// instead of 0.3 (storage-append, one appender, batches of 1: 227-326 records/s against 1,783-3,043).
    /// </summary>
    public bool AppenderWritesIdlePartition { get; init; }

    internal void Validate()
    {
        Check(JournalMaxRecordBytes is >= 1024 and <= 64 << 20, nameof(JournalMaxRecordBytes),
            "must be in [1 KiB, 64 MiB]");
        Check(JournalBufferBytes >= JournalMaxRecordBytes + 4096 && JournalBufferBytes <= 1 << 30,
            nameof(JournalBufferBytes), "must be at least JournalMaxRecordBytes + 4 KiB and at most 1 GiB");
        Check(JournalMaxBytes >= 2L * JournalBufferBytes + 4096 && JournalMaxBytes <= 64L << 30,
            nameof(JournalMaxBytes), "must be at least twice JournalBufferBytes + 4 KiB and at most 64 GiB");
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, $"LogStoreOptions.{name} {rule}.");
    }
}
