using Parquet;
using Parquet.Schema;

namespace Query.Benchmarks;

/// <summary>
/// Parquet.Net alone: reads the named columns of every row group of the given files into reused buffers and
/// does nothing else (no conversion, no engine), the floor of any scan through the library. Strings are read as
/// <see cref="ReadOnlyMemory{T}"/> of char, as the cold reader reads them.
/// </summary>
internal static class ParquetDecodeBench
{
    public static async Task<long> ReadColumnsAsync(IReadOnlyList<string> files, IReadOnlyList<string> columns)
    {
        long values = 0;
        var buffers = new Buffers();
        foreach (var path in files)
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            await using var reader = await ParquetReader.CreateAsync(stream);
            var fields = new List<DataField>();
            foreach (var name in columns)
                fields.Add(reader.Schema.FindDataField(name));
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rowGroup = reader.OpenRowGroupReader(g);
                var rows = checked((int)rowGroup.RowCount);
                buffers.Ensure(rows);
                foreach (var field in fields)
                    values += await ReadAsync(rowGroup, field, rows, buffers);
            }
        }
        return values;
    }

    /// <summary>Whether the library hands a STRING column's values over as UTF-8 bytes (no UTF-16 decoding).</summary>
    public static async Task<string> ProbeUtf8Async(string path, string column)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        await using var reader = await ParquetReader.CreateAsync(stream);
        using var rowGroup = reader.OpenRowGroupReader(0);
        var rows = checked((int)rowGroup.RowCount);
        var values = new ReadOnlyMemory<byte>[rows];
        try
        {
            await rowGroup.ReadRawAsync(reader.Schema.FindDataField(column), values.AsMemory(), new int[rows],
                new int[rows]);
            return "yes: " + System.Text.Encoding.UTF8.GetString(values[0].Span);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException
            or InvalidCastException)
        {
            return "no: " + e.GetType().Name + " " + e.Message;
        }
    }

    private static async Task<int> ReadAsync(ParquetRowGroupReader rowGroup, DataField field, int rows, Buffers b)
    {
        var definitions = b.Definitions.AsMemory(0, rows);
        var repetitions = b.Repetitions.AsMemory(0, rows);
        var type = field.ClrType;
        if (type == typeof(int))
            await rowGroup.ReadRawAsync(field, b.Ints.AsMemory(0, rows), definitions, repetitions);
        else if (type == typeof(long))
            await rowGroup.ReadRawAsync(field, b.Longs.AsMemory(0, rows), definitions, repetitions);
        else if (type == typeof(double))
            await rowGroup.ReadRawAsync(field, b.Doubles.AsMemory(0, rows), definitions, repetitions);
        else if (type == typeof(DateTime))
            await rowGroup.ReadRawAsync(field, b.Times.AsMemory(0, rows), definitions, repetitions);
        else if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
            await rowGroup.ReadRawAsync(field, b.Texts.AsMemory(0, rows), definitions, repetitions);
        else
            throw new InvalidOperationException($"column {field.Name}: type {type.Name} not measured");
        return rows;
    }

    private sealed class Buffers
    {
        public int[] Definitions = [];
        public int[] Repetitions = [];
        public int[] Ints = [];
        public long[] Longs = [];
        public double[] Doubles = [];
        public DateTime[] Times = [];
        public ReadOnlyMemory<char>[] Texts = [];

        public void Ensure(int rows)
        {
            if (Definitions.Length >= rows)
                return;
            Definitions = new int[rows];
            Repetitions = new int[rows];
            Ints = new int[rows];
            Longs = new long[rows];
            Doubles = new double[rows];
            Times = new DateTime[rows];
            Texts = new ReadOnlyMemory<char>[rows];
        }
    }
}
