using Microsoft.Win32.SafeHandles;
using Parquet;
using Parquet.Schema;
using Query.Tiering.Parquet.Pages;

namespace Query.Tiering.Parquet;

/// <summary>
/// The own page decoder of one open cold file (<see cref="ColumnChunkDecoder"/>), with what it must know of the
/// file's schema: a TIMESTAMP is decoded only when the file stores it as we write it (INT64 milliseconds,
/// adjusted to UTC). Every read it declines is left to Parquet.Net by the caller. Owns its file handle.
/// </summary>
internal sealed class ColdChunkReader : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly ColumnChunkDecoder _decoder;
    private readonly ParquetSchema _fileSchema;
    private readonly Dictionary<string, bool> _millisTimestamps = new(StringComparer.Ordinal);

    private ColdChunkReader(SafeFileHandle file, ParquetSchema fileSchema)
    {
        _file = file;
        _fileSchema = fileSchema;
        _decoder = new ColumnChunkDecoder(file);
    }

    /// <summary>A reader of <paramref name="path"/>'s chunks, or null when the own decoder is switched off
    /// (<paramref name="ownDecoder"/>, by default <see cref="ColdDecoding.OwnDecoder"/>).</summary>
    public static ColdChunkReader? Open(string path, ParquetSchema fileSchema, bool? ownDecoder = null)
    {
        if (!(ownDecoder ?? ColdDecoding.OwnDecoder))
            return null;
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new ColdChunkReader(file, fileSchema);
    }

    public int ChunksDecoded => _decoder.ChunksDecoded;

    public int ChunksDeclined { get; private set; }

    /// <summary>Decodes <paramref name="field"/>'s chunk of <paramref name="rowGroup"/> (a flat column) as
    /// <see cref="ColumnChunkDecoder.TryRead{T}"/> does; false: read it with Parquet.Net.</summary>
    public bool TryRead<T>(ParquetRowGroupReader rowGroup, DataField field, int maxDefinition, ref int[] definitions,
        ref T[] values, ValueArenas arenas, out int rows, out int valueCount, DictionaryCodes<T>? codes = null)
    {
        rows = 0;
        valueCount = 0;
        var chunk = field.MaxRepetitionLevel != 0 || (typeof(T) == typeof(DateTime) && !IsMillisTimestamp(field))
            ? null
            : rowGroup.GetMetadata(field)?.MetaData;
        if (chunk is not null && chunk.NumValues == rowGroup.RowCount
            && _decoder.TryRead(chunk, maxDefinition, ref definitions, ref values, arenas, out rows, out valueCount,
                codes))
            return true;
        ChunksDeclined++;
        return false;
    }

    private bool IsMillisTimestamp(DataField field)
    {
        if (!_millisTimestamps.TryGetValue(field.Name, out var millis))
        {
            millis = false;
            foreach (var candidate in _fileSchema.Fields)
            {
                if (candidate.Name == field.Name)
                    millis = candidate is DateTimeDataField
                    {
                        DateTimeFormat: DateTimeFormat.Timestamp, Unit: DateTimeTimeUnit.Millis, IsAdjustedToUTC: true,
                    };
            }
            _millisTimestamps[field.Name] = millis;
        }
        return millis;
    }

    public void Dispose()
    {
        _decoder.Dispose();
        _file.Dispose();
    }
}
