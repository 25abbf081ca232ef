using Parquet;
using Parquet.Meta;
using Parquet.Schema;
using Query.Tiering.Parquet.Pages;

namespace Query.Benchmarks;

/// <summary>
/// The tiering library's own page decoder alone (<see cref="ColumnChunkDecoder"/>): the named columns of every
/// row group of the files into reused buffers. The footers are read by Parquet.Net once per file and process (the
/// engine keeps open files with their footers between queries, <c>ColdOpenFiles</c>), so from the second call on
/// this times the decoder only; <see cref="ParquetDecodeBench"/> times Parquet.Net's decoding, footers included.
/// Text decodes to UTF-16, as the cold reader needs it.
/// </summary>
internal static class OwnDecodeBench
{
    private static readonly Dictionary<string, OpenFile> Open = new(StringComparer.Ordinal);

    public static async Task<long> ReadColumnsAsync(IReadOnlyList<string> files, IReadOnlyList<string> columns)
    {
        long values = 0;
        var arenas = new ValueArenas();
        var definitions = Array.Empty<int>();
        var ints = Array.Empty<int>();
        var longs = Array.Empty<long>();
        var doubles = Array.Empty<double>();
        var times = Array.Empty<DateTime>();
        var texts = Array.Empty<ReadOnlyMemory<char>>();
        foreach (var path in files)
        {
            if (!Open.TryGetValue(path, out var file))
                Open[path] = file = await OpenFile.CreateAsync(path);
            var decoder = file.Decoder;
            foreach (var rowGroup in file.RowGroups)
            {
                foreach (var name in columns)
                {
                    var (chunk, field) = rowGroup[name];
                    var maxDefinition = field.MaxDefinitionLevel;
                    var type = field.ClrType;
                    int count;
                    var ok = type == typeof(int)
                        ? decoder.TryRead(chunk, maxDefinition, ref definitions, ref ints, arenas, out _, out count)
                        : type == typeof(long)
                        ? decoder.TryRead(chunk, maxDefinition, ref definitions, ref longs, arenas, out _, out count)
                        : type == typeof(double)
                        ? decoder.TryRead(chunk, maxDefinition, ref definitions, ref doubles, arenas, out _, out count)
                        : type == typeof(DateTime)
                        ? decoder.TryRead(chunk, maxDefinition, ref definitions, ref times, arenas, out _, out count)
                        : decoder.TryRead(chunk, maxDefinition, ref definitions, ref texts, arenas, out _, out count);
                    if (!ok)
                        throw new InvalidOperationException($"the own decoder declined column {name}");
                    values += count;
                }
            }
        }
        return values;
    }

    // A file's decoder and, per row group, each column's chunk metadata and field (kept until the process ends).
    private sealed record OpenFile(ColumnChunkDecoder Decoder,
        List<Dictionary<string, (ColumnMetaData Chunk, DataField Field)>> RowGroups)
    {
        public static async Task<OpenFile> CreateAsync(string path)
        {
            await using var reader = await ParquetReader.CreateAsync(path);
            var rowGroups = new List<Dictionary<string, (ColumnMetaData, DataField)>>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rowGroup = reader.OpenRowGroupReader(g);
                var chunks = new Dictionary<string, (ColumnMetaData, DataField)>(StringComparer.Ordinal);
                foreach (var field in reader.Schema.GetDataFields())
                    chunks[field.Name] = (rowGroup.GetMetadata(field)!.MetaData!, field);
                rowGroups.Add(chunks);
            }
            return new OpenFile(new ColumnChunkDecoder(File.OpenHandle(path)), rowGroups);
        }
    }
}
