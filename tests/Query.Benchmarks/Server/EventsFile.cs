using System.Globalization;
using System.Text;

namespace Query.Benchmarks.Server;

/// <summary>
/// `bench events-file --rows N --out PATH [--csv]`: writes bench-data.md's `events` rows as a COPY text file
/// (tab separated, ~100 bytes a line, fixed seed), or as CSV with <c>--csv</c> (no field needs quoting), the
/// same rows `bench wire` sends, so that an independent client (psql's \copy, as bench-data.md measured
/// PostgreSQL) can load it into both servers.
/// </summary>
internal static class EventsFile
{
    public static int Run(string[] args)
    {
        var at = Array.IndexOf(args, "--rows");
        var rows = at >= 0 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 10_000_000;
        var outAt = Array.IndexOf(args, "--out");
        if (outAt < 0 || outAt + 1 >= args.Length)
        {
            Console.Error.WriteLine("usage: bench events-file [--rows N] --out PATH [--csv]");
            return 2;
        }
        var csv = Array.IndexOf(args, "--csv") >= 0;
        using var output = new FileStream(args[outAt + 1], FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Write(output, rows, csv);
        return 0;
    }

    /// <summary>Writes the rows (fixed seed) to output, as COPY text or, with csv, as CSV.</summary>
    public static void Write(Stream output, int rows, bool csv)
    {
        var random = new Random(42);
        var line = new char[256];
        var bytes = new byte[1024];
        for (var i = 0; i < rows; i++)
        {
            var length = WireTarget.EventRow(line, i, rows, random);
            if (csv)
                line.AsSpan(0, length).Replace('\t', ',');
            var count = Encoding.UTF8.GetBytes(line.AsSpan(0, length), bytes);
            output.Write(bytes, 0, count);
        }
    }
}
