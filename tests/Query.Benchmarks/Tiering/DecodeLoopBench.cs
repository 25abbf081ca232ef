using System.Diagnostics;
using Parquet;
using Parquet.Meta;
using Query.Engine;
using Query.Testing;
using Query.Tiering;
using Query.Tiering.Parquet.Pages;

namespace Query.Benchmarks;

/// <summary>
/// <c>tiering-decode [rows] [repeats] [folder] [dense]</c>: the own page decoder alone in a loop, over the cold
/// files of the events data set (built into <c>folder</c> once and reused by later runs, or into a temporary
/// folder). The files' footers are read once; each repeat decodes the filter's columns (user_id, country, ts,
/// rowoffset) and the sum's (amount, rowoffset, ts) of every row group and prints the CPU and the bytes allocated.
/// Prints "ready" and the process id first (for a profiler), and at the end the best of the repeats and
/// <see cref="OwnDecodeBench"/>'s figure, the one <c>bench tiering</c> prints. With <c>dense</c> 1 the repeats
/// read through <see cref="ColumnChunkDecoder.TryReadDense{T}"/>.
/// </summary>
internal static class DecodeLoopBench
{
    private static readonly string[] FilterColumns = ["user_id", "country", "ts", "rowoffset"];
    private static readonly string[] SumColumns = ["amount", "rowoffset", "ts"];

    public static async Task RunAsync(int rows, int repeats, string? folder, bool dense)
    {
        using var temporary = folder is null ? new TempDirectory("tiering-decode") : null;
        var root = folder ?? temporary!.Path;
        var files = await FilesAsync(root, rows);
        var chunks = new List<Chunk>();
        var readers = new List<ParquetReader>();
        var handles = new List<ColumnChunkDecoder>();
        try
        {
            foreach (var path in files)
            {
                var reader = await ParquetReader.CreateAsync(path);
                readers.Add(reader);
                var decoder = new ColumnChunkDecoder(File.OpenHandle(path));
                handles.Add(decoder);
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var rowGroup = reader.OpenRowGroupReader(g);
                    foreach (var field in reader.Schema.GetDataFields())
                        chunks.Add(new Chunk(decoder, field.Name, rowGroup.GetMetadata(field)!.MetaData!,
                            field.MaxDefinitionLevel, field.ClrType));
                }
            }
            Console.WriteLine($"{files.Count} files, {chunks.Count} chunks; ready {Environment.ProcessId}");
            var state = new Buffers { Dense = dense };
            var bestFilter = double.MaxValue;
            var bestSum = double.MaxValue;
            for (var i = 0; i < repeats; i++)
            {
                var (filterCpu, filterBytes, filterValues) = Time(chunks, FilterColumns, state);
                var (sumCpu, sumBytes, sumValues) = Time(chunks, SumColumns, state);
                bestFilter = Math.Min(bestFilter, filterCpu);
                bestSum = Math.Min(bestSum, sumCpu);
                Console.WriteLine($"filter's columns {filterCpu:F1} ms CPU, {filterBytes:N0} B allocated, " +
                    $"{filterValues:N0} values; sum's {sumCpu:F1} ms CPU, {sumBytes:N0} B, {sumValues:N0} values");
            }
            var footersFilter = await TieringBench.BestCpuAsync(() => OwnDecodeBench.ReadColumnsAsync(files, FilterColumns));
            var footersSum = await TieringBench.BestCpuAsync(() => OwnDecodeBench.ReadColumnsAsync(files, SumColumns));
            Console.Write("wall time per repeat by column (ms, preemption included):");
            foreach (var (name, ticks) in state.ColumnTicks)
                Console.Write($" {name} {ticks * 1000.0 / Stopwatch.Frequency / (2 * repeats):F1}");
            Console.WriteLine();
            Console.Write("bytes per repeat by column, compressed / uncompressed (MB):");
            foreach (var name in state.ColumnTicks.Keys)
            {
                var compressed = chunks.Where(c => c.Name == name).Sum(c => c.MetaData.TotalCompressedSize) / 1e6;
                var uncompressed = chunks.Where(c => c.Name == name).Sum(c => c.MetaData.TotalUncompressedSize) / 1e6;
                Console.Write($" {name} {compressed:F2} / {uncompressed:F2}");
            }
            Console.WriteLine();
            Console.WriteLine($"best of {repeats}, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}: filter's " +
                $"columns {bestFilter:F1} ms CPU, sum's {bestSum:F1} ms; bench tiering's figure (best of 3, the " +
                $"first reads the footers): {footersFilter:F1} / {footersSum:F1} ms");
        }
        finally
        {
            foreach (var decoder in handles)
                decoder.Dispose();
            foreach (var reader in readers)
                await reader.DisposeAsync();
        }
    }

    private sealed record Chunk(ColumnChunkDecoder Decoder, string Name, ColumnMetaData MetaData, int MaxDefinition,
        System.Type Type);

    private sealed class Buffers
    {
        public ValueArenas Arenas { get; } = new();
        public int[] Definitions = [];
        public int[] Ints = [];
        public long[] Longs = [];
        public double[] Doubles = [];
        public DateTime[] Times = [];
        public ReadOnlyMemory<char>[] Texts = [];
        public Dictionary<string, long> ColumnTicks { get; } = [];
        public bool Dense { get; init; }
    }

    private static (double Cpu, long Allocated, long Values) Time(List<Chunk> chunks, string[] columns, Buffers b)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        long values = 0;
        foreach (var chunk in chunks)
        {
            if (Array.IndexOf(columns, chunk.Name) < 0)
                continue;
            var d = chunk.Decoder;
            var m = chunk.MetaData;
            var level = chunk.MaxDefinition;
            int count;
            var started = Stopwatch.GetTimestamp();
            var ok = b.Dense ? ReadDense(chunk, b, out count)
                : chunk.Type == typeof(int)
                ? d.TryRead(m, level, ref b.Definitions, ref b.Ints, b.Arenas, out _, out count)
                : chunk.Type == typeof(long)
                ? d.TryRead(m, level, ref b.Definitions, ref b.Longs, b.Arenas, out _, out count)
                : chunk.Type == typeof(double)
                ? d.TryRead(m, level, ref b.Definitions, ref b.Doubles, b.Arenas, out _, out count)
                : chunk.Type == typeof(DateTime)
                ? d.TryRead(m, level, ref b.Definitions, ref b.Times, b.Arenas, out _, out count)
                : d.TryRead(m, level, ref b.Definitions, ref b.Texts, b.Arenas, out _, out count);
            if (!ok)
                throw new InvalidOperationException($"the own decoder declined column {chunk.Name}");
            values += count;
            var ticks = Stopwatch.GetTimestamp() - started;
            b.ColumnTicks[chunk.Name] = b.ColumnTicks.GetValueOrDefault(chunk.Name) + ticks;
        }
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalMilliseconds, bytes, values);
    }

    // The same through TryReadDense (levels left out of chunks without NULLs).
    private static bool ReadDense(Chunk chunk, Buffers b, out int count)
    {
        var (d, m, level) = (chunk.Decoder, chunk.MetaData, chunk.MaxDefinition);
        return chunk.Type == typeof(int)
            ? d.TryReadDense(m, level, ref b.Definitions, ref b.Ints, b.Arenas, out _, out count, out _)
            : chunk.Type == typeof(long)
            ? d.TryReadDense(m, level, ref b.Definitions, ref b.Longs, b.Arenas, out _, out count, out _)
            : chunk.Type == typeof(double)
            ? d.TryReadDense(m, level, ref b.Definitions, ref b.Doubles, b.Arenas, out _, out count, out _)
            : chunk.Type == typeof(DateTime)
            ? d.TryReadDense(m, level, ref b.Definitions, ref b.Times, b.Arenas, out _, out count, out _)
            : d.TryReadDense(m, level, ref b.Definitions, ref b.Texts, b.Arenas, out _, out count, out _);
    }

    // The cold files under root, written there first (the events data set archived) when there are none.
    private static async Task<IReadOnlyList<string>> FilesAsync(string root, int rows)
    {
        var cold = Path.Combine(root, "cold");
        if (!Directory.Exists(cold) || Directory.GetFiles(cold, "*.parquet", SearchOption.AllDirectories).Length == 0)
        {
            var data = Path.Combine(root, "data");
            await using var engine = QueryEngine.Open(new EngineOptions
            {
                DataDirectory = data,
                ColdStore = new ColdStore(cold),
            });
            await EngineBench.LoadEventsAsync(engine.CreateSession(), rows, 16L << 20);
            await engine.ArchiveStreamAsync("events");
        }
        var files = Directory.GetFiles(cold, "*.parquet", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
