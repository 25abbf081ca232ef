using Parquet;
using Query.Tiering.Parquet.Pages;

namespace Query.Benchmarks;

/// <summary>
/// The tiering library's own page decoder alone (<see cref="ColumnChunkDecoder"/>): the named columns of every
/// row group of the files into reused buffers, the footers read by Parquet.Net, as <see cref="ParquetDecodeBench"/>
/// does with Parquet.Net's decoding. Text decodes to UTF-16, as the cold reader needs it.
/// </summary>
internal static class OwnDecodeBench
{
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
            await using var reader = await ParquetReader.CreateAsync(path);
            using var handle = File.OpenHandle(path);
            using var decoder = new ColumnChunkDecoder(handle);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rowGroup = reader.OpenRowGroupReader(g);
                foreach (var name in columns)
                {
                    var field = reader.Schema.FindDataField(name);
                    var chunk = rowGroup.GetMetadata(field)!.MetaData!;
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
}
