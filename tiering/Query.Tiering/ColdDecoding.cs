namespace Query.Tiering;

/// <summary>
/// Process-wide switches of the cold reader's decoding, for benchmarks and for tests that compare both paths.
/// By default cold files are decoded by the tiering library's own page decoder wherever it handles the column
/// (flat columns of the physical types and encodings the archiver writes), with the system's libzstd when it
/// loads; every other column goes through Parquet.Net.
/// </summary>
public static class ColdDecoding
{
    /// <summary>Whether the own page decoder is used (false: every column through Parquet.Net).</summary>
    public static bool OwnDecoder { get; set; } = true;

    /// <summary>Whether ZSTD pages are decompressed by the system's libzstd when present (false: the managed
    /// ZstdSharp port).</summary>
    public static bool NativeZstd { get; set; } = true;
}
