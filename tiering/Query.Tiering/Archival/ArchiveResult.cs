namespace Query.Tiering.Archival;

/// <summary>What one archival run moved: whole segments, their rows, log bytes in and Parquet bytes out.</summary>
public sealed record ArchiveResult(int Segments, long Rows, long BytesIn, long BytesOut, int Files)
{
    public static ArchiveResult None { get; } = new(0, 0, 0, 0, 0);

    public ArchiveResult Add(ArchiveResult other) => new(Segments + other.Segments, Rows + other.Rows,
        BytesIn + other.BytesIn, BytesOut + other.BytesOut, Files + other.Files);
}
