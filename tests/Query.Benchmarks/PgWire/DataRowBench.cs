using System.Diagnostics;
using Query.PgWire.Framing;
using Query.PgWire.Types;

namespace Query.Benchmarks.PgWire;

/// <summary>DataRow encoding bytes/s and rows/s, with allocated bytes per row measured by the runtime.</summary>
internal static class DataRowBench
{
    public static int Run(string[] args)
    {
        int rows = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5_000_000;
        Console.WriteLine("| format | rows | MB | seconds | rows/s | MB/s | bytes allocated/row |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (bool binary in new[] { true, false })
            Measure(binary, rows);
        return 0;
    }

    private static void Measure(bool binary, int rows)
    {
        using var output = new PgOutputBuffer(1024 * 1024);
        var writer = new PgRowWriter(output);
        writer.Configure([PgTypeOid.Int8, PgTypeOid.Text, PgTypeOid.Float8, PgTypeOid.TimestampTz, PgTypeOid.Numeric],
            [binary, binary, binary, binary, binary]);
        Encode(writer, output, 100_000);   // warm-up (JIT, buffer growth)
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        long bytes = Encode(writer, output, rows);
        double seconds = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Console.WriteLine($"| {(binary ? "binary" : "text")} | {rows} | {bytes / 1e6:F0} | {seconds:F2} | " +
            $"{rows / seconds:F0} | {bytes / 1e6 / seconds:F0} | {(double)allocated / rows:F2} |");
    }

    private static long Encode(PgRowWriter writer, PgOutputBuffer output, int rows)
    {
        long bytes = 0;
        for (int i = 0; i < rows; i++)
        {
            writer.BeginRow();
            writer.WriteInt64(1_000_000L + i);
            writer.WriteText("symbol-ABCDEFGH");
            writer.WriteFloat8(i * 0.25);
            writer.WriteTimestamp(1_700_000_000_000_000L + i);
            writer.WriteNumeric(1234.5678m);
            writer.EndRow();
            if (writer.ShouldFlush)
            {
                bytes += output.Length;
                output.Clear();   // what a flush to the socket does
            }
        }
        bytes += output.Length;
        output.Clear();
        return bytes;
    }
}
