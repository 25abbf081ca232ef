using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using Microsoft.Win32.SafeHandles;
using Parquet.Meta;

namespace Query.Tiering.Parquet.Pages;

/// <summary>
/// Our own decoder of the column chunks the archiver writes, written from the Parquet format specification:
/// a flat (unrepeated) column of BOOLEAN, INT32, INT64, DOUBLE or BYTE_ARRAY values, in data pages v1,
/// with RLE definition levels, values PLAIN, dictionary-encoded (PLAIN / RLE_DICTIONARY) or
/// DELTA_BINARY_PACKED, compressed with ZSTD, SNAPPY or not at all. The chunk is read with one positioned read
/// into a pooled buffer and decoded straight into the caller's arrays, dense values (a NULL is only a definition
/// level): no object per value. Anything else (another type, encoding, codec, a malformed page) answers false
/// before the caller's data is used, and the caller reads the chunk with Parquet.Net instead. The footer and
/// the column chunk's metadata still come from Parquet.Net. One per open file; not thread-safe.
/// </summary>
internal sealed class ColumnChunkDecoder(SafeFileHandle file) : IDisposable
{
    private const int Rle = 3;
    private const int Plain = 0;
    private const int PlainDictionary = 2;
    private const int DeltaBinaryPacked = 5;
    private const int RleDictionary = 8;

    private readonly PageDecompressor _decompressor = new();
    private byte[] _chunk = [];
    private byte[] _page = [];
    private int[] _indexes = [];
    private long[] _integers = [];
    private Array? _dictionary;
    private int _dictionaryCount;
    private bool _onlyDictionaryPages;       // every data page of the chunk read so far was dictionary-encoded
    private bool _omitFullLevels;            // leave all-present levels unwritten while no NULL has been read
    private int _omittedRows;                // the leading rows whose levels were left unwritten

    /// <summary>Chunks decoded here.</summary>
    public int ChunksDecoded { get; private set; }

    /// <summary>Whether this decoder can read <paramref name="chunk"/> as values of <typeparamref name="T"/>
    /// (physical type and codec; the encodings are checked page by page).</summary>
    public static bool Handles<T>(ColumnMetaData? chunk) =>
        chunk is not null && PlainValues.Stores<T>((int)chunk.Type) && PageDecompressor.Supports((int)chunk.Codec)
        && chunk.NumValues is >= 0 and <= int.MaxValue && chunk.TotalCompressedSize is > 0 and <= int.MaxValue;

    /// <summary>
    /// Decodes a flat column chunk: one definition level per row into <paramref name="definitions"/> (when
    /// <paramref name="maxDefinition"/> is above 0) and the present values, dense, into
    /// <paramref name="values"/>; both grow as needed. False (the arrays' contents undefined) when anything in
    /// the chunk is not handled.
    /// </summary>
    public bool TryRead<T>(ColumnMetaData chunk, int maxDefinition, ref int[] definitions, ref T[] values,
        ValueArenas arenas, out int rows, out int valueCount, DictionaryCodes<T>? codes = null)
    {
        _omitFullLevels = false;
        return TryReadChunk(chunk, maxDefinition, ref definitions, ref values, arenas, out rows, out valueCount,
            codes);
    }

    /// <summary>
    /// As <see cref="TryRead{T}"/>, but when no row of the chunk is NULL, <paramref name="allPresent"/> is true,
    /// the values are one per row and the definition levels are undefined: a page whose levels are one run at
    /// <paramref name="maxDefinition"/> (how writers store a page without NULLs) costs no level written or counted.
    /// With a NULL anywhere, the levels are written as TryRead writes them and <paramref name="allPresent"/> is
    /// false. A required column (<paramref name="maxDefinition"/> 0) is always all present.
    /// </summary>
    public bool TryReadDense<T>(ColumnMetaData chunk, int maxDefinition, ref int[] definitions, ref T[] values,
        ValueArenas arenas, out int rows, out int valueCount, out bool allPresent, DictionaryCodes<T>? codes = null)
    {
        _omitFullLevels = true;
        var ok = TryReadChunk(chunk, maxDefinition, ref definitions, ref values, arenas, out rows, out valueCount,
            codes);
        allPresent = ok && (maxDefinition == 0 || (_omitFullLevels && _omittedRows == rows));
        return ok;
    }

    // The chunk, page and index buffers are rented for one chunk and returned after it: the pool hands the same
    // arrays to the next chunk on this thread, whichever file's decoder reads it, so they stay in the cache (one
    // set per decoder, one decoder per open file, was measured slower) and no decoder holds memory between reads.
    private bool TryReadChunk<T>(ColumnMetaData chunk, int maxDefinition, ref int[] definitions, ref T[] values,
        ValueArenas arenas, out int rows, out int valueCount, DictionaryCodes<T>? codes)
    {
        try
        {
            return ReadPages(chunk, maxDefinition, ref definitions, ref values, arenas, out rows, out valueCount,
                codes);
        }
        finally
        {
            ReturnBuffers();
        }
    }

    private bool ReadPages<T>(ColumnMetaData chunk, int maxDefinition, ref int[] definitions, ref T[] values,
        ValueArenas arenas, out int rows, out int valueCount, DictionaryCodes<T>? codes)
    {
        rows = 0;
        valueCount = 0;
        _omittedRows = 0;
        codes?.Clear();
        _onlyDictionaryPages = true;
        if (!Handles<T>(chunk) || maxDefinition is < 0 or > 30)
            return Decline();
        var total = (int)chunk.NumValues;
        if (definitions.Length < total && maxDefinition > 0)
            definitions = new int[total];
        if (values.Length < total)
            values = new T[total];
        arenas.Reset();
        _dictionaryCount = -1;
        if (!ReadChunk(chunk, out var length))
            return Decline();
        var position = 0;
        while (rows < total)
        {
            if (!PageHeader.TryRead(_chunk.AsSpan(position, length - position), out var header, out var headerBytes)
                || header.CompressedBytes < 0 || header.UncompressedBytes < 0
                || length - position - headerBytes < header.CompressedBytes)
                return Decline();
            var body = _chunk.AsSpan(position + headerBytes, header.CompressedBytes);
            position += headerBytes + header.CompressedBytes;
            var ok = header.Kind switch
            {
                PageKind.Dictionary => ReadDictionary<T>(header, body, (int)chunk.Codec, arenas),
                PageKind.Data => header.ValueCount >= 0 && header.ValueCount <= total - rows
                    && ReadDataPage(header, body, (int)chunk.Codec, maxDefinition, definitions, rows, values,
                        ref valueCount, arenas, codes),
                PageKind.Index => true,         // nothing to decode
                _ => false,
            };
            if (!ok)
                return Decline();
            if (header.Kind == PageKind.Data)
                rows += header.ValueCount;
        }
        ChunksDecoded++;
        if (codes is not null && _onlyDictionaryPages && _dictionary is T[] dictionary && _dictionaryCount >= 0)
            codes.Complete(dictionary.AsSpan(0, _dictionaryCount));
        return true;
    }

    private static bool Decline() => false;

    private bool ReadChunk(ColumnMetaData chunk, out int length)
    {
        var start = chunk.DataPageOffset;
        if (chunk.DictionaryPageOffset is long dictionary && dictionary > 0 && dictionary < start)
            start = dictionary;
        length = (int)chunk.TotalCompressedSize;
        Rent(ref _chunk, length);
        var span = _chunk.AsSpan(0, length);
        while (span.Length > 0)
        {
            var read = RandomAccess.Read(file, span, start);
            if (read <= 0)
                return false;
            span = span[read..];
            start += read;
        }
        return true;
    }

    private bool ReadDictionary<T>(in PageHeader header, ReadOnlySpan<byte> body, int codec, ValueArenas arenas)
    {
        if (header.Encoding is not (Plain or PlainDictionary) || header.ValueCount < 0
            || !Decompress(codec, body, header.UncompressedBytes, out var page))
            return false;
        if (_dictionary is not T[] dictionary || dictionary.Length < header.ValueCount)
            _dictionary = dictionary = new T[Math.Max(header.ValueCount, 16)];
        if (PlainValues.Decode(page, dictionary.AsSpan(0, header.ValueCount), arenas) < 0)
            return false;
        _dictionaryCount = header.ValueCount;
        return true;
    }

    // A data page v1: levels and values compressed together; the definition levels (RLE, 4-byte length) first.
    // Pages v2 (levels stored apart) are not written by Parquet.Net and are left to it.
    private bool ReadDataPage<T>(in PageHeader header, ReadOnlySpan<byte> body, int codec, int maxDefinition,
        int[] definitions, int firstRow, T[] values, ref int valueCount, ValueArenas arenas, DictionaryCodes<T>? codes)
    {
        if (!Decompress(codec, body, header.UncompressedBytes, out var data))
            return false;
        var present = header.ValueCount;
        if (maxDefinition > 0)
        {
            if (header.DefinitionEncoding != Rle || data.Length < 4)
                return false;
            var levelBytes = BinaryPrimitives.ReadInt32LittleEndian(data);
            var bitWidth = 32 - BitOperations.LeadingZeroCount((uint)maxDefinition);
            if (levelBytes < 0 || data.Length - 4 < levelBytes
                || !ReadLevels(data.Slice(4, levelBytes), bitWidth, maxDefinition, definitions, firstRow,
                    header.ValueCount, out present))
                return false;
            data = data[(4 + levelBytes)..];
        }
        var output = values.AsSpan(valueCount, present);
        var ok = DecodeValues(header.Encoding, data, output, arenas);
        if (ok && codes is not null && header.Encoding is PlainDictionary or RleDictionary)
            codes.AddIndexes(_indexes.AsSpan(0, present), valueCount);
        valueCount += present;
        return ok;
    }

    // A page's definition levels; a page without NULLs (one run at the maximum) is a fill, or nothing while the
    // levels of all-present rows are left out.
    private bool ReadLevels(ReadOnlySpan<byte> levels, int bitWidth, int maxDefinition, int[] definitions,
        int firstRow, int count, out int present)
    {
        present = count;
        var omitting = _omitFullLevels && _omittedRows == firstRow;
        if (count == 0 || RleBitPackedReader.StartsWithRun(levels, bitWidth, count, maxDefinition))
        {
            if (omitting)
                _omittedRows += count;
            else
                definitions.AsSpan(firstRow, count).Fill(maxDefinition);
            return true;
        }
        var span = definitions.AsSpan(firstRow, count);
        if (!RleBitPackedReader.TryDecode(levels, bitWidth, span))
            return false;
        present = span.Count(maxDefinition);
        if (omitting && present == count)
        {
            _omittedRows += count;          // written, but still all present
        }
        else if (_omitFullLevels)
        {
            definitions.AsSpan(0, _omittedRows).Fill(maxDefinition);    // the rows left out so far, then as TryRead
            _omitFullLevels = false;
        }
        return true;
    }

    private bool DecodeValues<T>(int encoding, ReadOnlySpan<byte> data, Span<T> output, ValueArenas arenas)
    {
        if (encoding is not (PlainDictionary or RleDictionary))
            _onlyDictionaryPages = false;
        switch (encoding)
        {
            case Plain:
                return PlainValues.Decode(data, output, arenas) >= 0;
            case PlainDictionary or RleDictionary:
                return DecodeIndexes(data, output);
            case DeltaBinaryPacked when typeof(T) == typeof(long):
                return DeltaBinaryPackedReader.TryDecode(data, PlainValues.As<T, long>(output), out _);
            case DeltaBinaryPacked:
                Rent(ref _integers, output.Length);
                return DeltaBinaryPackedReader.TryDecode(data, _integers.AsSpan(0, output.Length), out _)
                    && PlainValues.FromIntegers(_integers.AsSpan(0, output.Length), output);
            default:
                return false;
        }
    }

    // Dictionary indexes: one byte of bit width, then the RLE / bit-packed hybrid; each index looks up a value.
    private bool DecodeIndexes<T>(ReadOnlySpan<byte> data, Span<T> output)
    {
        if (_dictionary is not T[] dictionary || _dictionaryCount < 0 || (output.Length > 0 && data.Length < 1))
            return false;
        Rent(ref _indexes, Math.Max(output.Length, 1));
        if (output.Length == 0)
            return true;
        var indexes = _indexes.AsSpan(0, output.Length);
        if (!RleBitPackedReader.TryDecode(data[1..], data[0], indexes))
            return false;
        return DictionaryValues.TryGather(dictionary.AsSpan(0, _dictionaryCount), indexes, output);
    }

    private bool Decompress(int codec, ReadOnlySpan<byte> body, int uncompressedBytes, out ReadOnlySpan<byte> page)
    {
        page = default;
        if (codec == PageDecompressor.Uncompressed)
        {
            page = body;
            return body.Length == uncompressedBytes;
        }
        Rent(ref _page, uncompressedBytes);
        if (!_decompressor.TryDecompress(codec, body, _page.AsSpan(0, uncompressedBytes)))
            return false;
        page = _page.AsSpan(0, uncompressedBytes);
        return true;
    }

    private static void Rent<TElement>(ref TElement[] buffer, int length)
    {
        if (buffer.Length >= length)
            return;
        if (buffer.Length > 0)
            ArrayPool<TElement>.Shared.Return(buffer);
        buffer = ArrayPool<TElement>.Shared.Rent(length);
    }

    public void Dispose()
    {
        _decompressor.Dispose();
        ReturnBuffers();
        _dictionary = null;
    }

    private void ReturnBuffers()
    {
        ReturnBuffer(ref _chunk);
        ReturnBuffer(ref _page);
        ReturnBuffer(ref _indexes);
        ReturnBuffer(ref _integers);
    }

    private static void ReturnBuffer<TElement>(ref TElement[] buffer)
    {
        if (buffer.Length > 0)
            ArrayPool<TElement>.Shared.Return(buffer);
        buffer = [];
    }
}
