namespace Query.Tiering.Compaction;

/// <summary>Which cold files compaction merges.</summary>
public sealed record CompactionOptions
{
    /// <summary>
    /// A merged file holds at most this many bytes of input files; files this large or larger are never merged.
    /// 128 MiB: large enough that a scan opens few files, small enough that one merge is short.
    /// </summary>
    public long TargetFileBytes { get; init; } = 128L << 20;

    /// <summary>The background job merges a run only when it has at least this many files.</summary>
    public int MinFilesToMerge { get; init; } = 4;

    public void Validate()
    {
        if (TargetFileBytes is < 1024 or > 16L << 30)
            throw new ArgumentOutOfRangeException(nameof(TargetFileBytes), "must be in [1 KiB, 16 GiB]");
        if (MinFilesToMerge is < 2 or > 100_000)
            throw new ArgumentOutOfRangeException(nameof(MinFilesToMerge), "must be in [2, 100000]");
    }
}
