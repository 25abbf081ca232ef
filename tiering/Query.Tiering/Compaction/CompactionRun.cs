namespace Query.Tiering.Compaction;

/// <summary>Files [First, First + Count) of a manifest, to be merged into one.</summary>
public readonly record struct CompactionRun(int First, int Count);

/// <summary>What one compaction of a partition merged: runs (one output file each), input files, rows, bytes.</summary>
public sealed record CompactionResult(int Runs, int FilesIn, long Rows, long BytesIn, long BytesOut)
{
    public static CompactionResult None { get; } = new(0, 0, 0, 0, 0);

    public CompactionResult Add(CompactionResult other) => new(Runs + other.Runs, FilesIn + other.FilesIn,
        Rows + other.Rows, BytesIn + other.BytesIn, BytesOut + other.BytesOut);
}
