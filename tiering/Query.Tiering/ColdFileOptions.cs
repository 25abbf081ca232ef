using Parquet;

namespace Query.Tiering;

/// <summary>How cold files are cut and compressed.</summary>
public sealed record ColdFileOptions
{
    /// <summary>Rows per row group; close to DuckDB's own default of 122,880.</summary>
    public int RowGroupMaxRows { get; init; } = 128 * 1024;

    /// <summary>Uncompressed bytes per row group: Parquet.Net writes each column chunk as one page.</summary>
    public long RowGroupMaxBytes { get; init; } = 64L << 20;

    /// <summary>Zstd at Fastest: near-Snappy speed, smallest files measured (the default is 12x slower).</summary>
    public CompressionMethod Compression { get; init; } = CompressionMethod.Zstd;

    public System.IO.Compression.CompressionLevel CompressionLevel { get; init; } =
        System.IO.Compression.CompressionLevel.Fastest;

    internal ParquetOptions ToParquetOptions()
    {
        var options = new ParquetOptions
        {
            CompressionMethod = Compression,
            CompressionLevel = CompressionLevel,
            // Bounded pools: the stream manager keeps freed buffers for ever otherwise.
            MaximumSmallPoolFreeBytes = 16 << 20,
            MaximumLargePoolFreeBytes = 128 << 20,
        };
        options.ColumnEncodingHints[Parquet.ColdFileSchema.RowOffset] = EncodingHint.DeltaBinaryPacked;
        return options;
    }

    internal void Validate()
    {
        if (RowGroupMaxRows is < 1 or > 16 << 20)
            throw new ArgumentOutOfRangeException(nameof(RowGroupMaxRows), "must be in [1, 16 Mi]");
        if (RowGroupMaxBytes is < 1024 or > 1L << 30)
            throw new ArgumentOutOfRangeException(nameof(RowGroupMaxBytes), "must be in [1 KiB, 1 GiB]");
    }
}
