namespace Query.Storage;

/// <summary>Per-log settings, fixed at creation and persisted beside the log.</summary>
public sealed record LogOptions
{
    public int Partitions { get; init; } = 1;
    public long SegmentMaxBytes { get; init; } = 256L << 20;
    public TimeSpan SegmentMaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Whole sealed segments whose newest record is older than this are deleted; -1 keeps forever.</summary>
    public long RetentionMs { get; init; } = -1;

    /// <summary>Oldest sealed segments are deleted while a partition is larger than this; -1: no limit.</summary>
    public long RetentionBytes { get; init; } = -1;

    public DurabilityMode Durability { get; init; } = DurabilityMode.Sync;
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Largest encoded record: key + value + headers + 22 bytes of framing (see storage/FORMAT.md).</summary>
    public int MaxRecordBytes { get; init; } = 1 << 20;

    /// <summary>Largest accepted batch (header and records); bounds reader buffers and recovery.</summary>
    public const int MaxBatchBytes = 64 << 20;

    internal void Validate()
    {
        Check(Partitions is >= 1 and <= 4096, nameof(Partitions), "must be in [1, 4096]");
        Check(SegmentMaxBytes is >= 1024 and <= int.MaxValue, nameof(SegmentMaxBytes), "must be in [1 KiB, 2 GiB)");
        Check(SegmentMaxAge > TimeSpan.Zero, nameof(SegmentMaxAge), "must be positive");
        Check(RetentionMs == -1 || RetentionMs >= 0, nameof(RetentionMs), "must be -1 or >= 0");
        Check(RetentionBytes == -1 || RetentionBytes >= 0, nameof(RetentionBytes), "must be -1 or >= 0");
        Check(Enum.IsDefined(Durability), nameof(Durability), "is not a DurabilityMode");
        Check(FlushInterval > TimeSpan.Zero, nameof(FlushInterval), "must be positive");
        Check(MaxRecordBytes is >= 1 and <= MaxBatchBytes - 64, nameof(MaxRecordBytes), "must be in [1, 64 MiB)");
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, $"LogOptions.{name} {rule}.");
    }
}
