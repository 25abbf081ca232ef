namespace Query.Tiering.Parquet.Pages;

/// <summary>Parquet's page types (parquet.thrift <c>PageType</c>).</summary>
internal enum PageKind
{
    Data = 0,
    Index = 1,
    Dictionary = 2,
    DataV2 = 3,
}

/// <summary>
/// The fields of a Parquet <c>PageHeader</c> (and of its data, dictionary or data-v2 header) that a decoder of
/// flat columns needs; the rest (statistics, CRC, index pages, the v2 data page header) is skipped.
/// </summary>
internal struct PageHeader
{
    public PageKind Kind;
    public int UncompressedBytes;
    public int CompressedBytes;

    /// <summary>Level entries of a data page (rows, for a flat column); values of a dictionary page.</summary>
    public int ValueCount;

    /// <summary>The encoding of the values (parquet.thrift <c>Encoding</c>).</summary>
    public int Encoding;

    /// <summary>V1: the encoding of the definition levels (RLE = 3 is the only one read).</summary>
    public int DefinitionEncoding;

    /// <summary>Reads a page header from the start of <paramref name="bytes"/>; false when it does not fit
    /// (<paramref name="headerBytes"/> is then unset).</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out PageHeader header, out int headerBytes)
    {
        header = default;
        headerBytes = 0;
        var reader = new ThriftCompactReader(bytes);
        if (!reader.ReadStruct(ref header, ReadPageField))
            return false;
        headerBytes = reader.Position;
        return true;
    }

    private static bool ReadPageField(ref ThriftCompactReader reader, ref PageHeader header, short id, int type)
    {
        switch (id)
        {
            case 1 when type == ThriftCompactReader.I32:
                header.Kind = (PageKind)reader.ReadInt32();
                return true;
            case 2 when type == ThriftCompactReader.I32:
                header.UncompressedBytes = reader.ReadInt32();
                return true;
            case 3 when type == ThriftCompactReader.I32:
                header.CompressedBytes = reader.ReadInt32();
                return true;
            case 5 when type == ThriftCompactReader.Struct:
                return reader.ReadStruct(ref header, ReadDataField);
            case 7 when type == ThriftCompactReader.Struct:
                return reader.ReadStruct(ref header, ReadDictionaryField);
            default:
                return reader.Skip(type);
        }
    }

    // DataPageHeader: 1 num_values, 2 encoding, 3 definition_level_encoding, 4 repetition_level_encoding.
    private static bool ReadDataField(ref ThriftCompactReader reader, ref PageHeader header, short id, int type)
    {
        if (type != ThriftCompactReader.I32 || id is < 1 or > 3)
            return reader.Skip(type);
        var value = reader.ReadInt32();
        if (id == 1)
            header.ValueCount = value;
        else if (id == 2)
            header.Encoding = value;
        else
            header.DefinitionEncoding = value;
        return true;
    }

    // DictionaryPageHeader: 1 num_values, 2 encoding, 3 is_sorted.
    private static bool ReadDictionaryField(ref ThriftCompactReader reader, ref PageHeader header, short id,
        int type)
    {
        if (type != ThriftCompactReader.I32 || id is < 1 or > 2)
            return reader.Skip(type);
        var value = reader.ReadInt32();
        if (id == 1)
            header.ValueCount = value;
        else
            header.Encoding = value;
        return true;
    }
}
