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

    /// <summary>Whether top-level STRING columns are dictionary-encoded where Parquet.Net's sample finds few
    /// distinct values (its threshold; otherwise PLAIN as before): readers then decode each distinct string once
    /// per row group, and the cold reader compares predicates on the dictionary.</summary>
    public bool DictionaryStrings { get; init; } = true;

    internal ParquetOptions ToParquetOptions(global::Parquet.Schema.ParquetSchema? schema = null)
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
        if (DictionaryStrings && schema is not null)
        {
            foreach (var field in schema.Fields)
            {
                // Parquet.Net 6 gives a STRING field the CLR type ReadOnlyMemory<char>.
                if (field is global::Parquet.Schema.DataField { ClrType: var type }
                    && (type == typeof(string) || type == typeof(ReadOnlyMemory<char>)))
                    options.ColumnEncodingHints[field.Name] = EncodingHint.Dictionary;
            }
        }
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
