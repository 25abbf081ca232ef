using System.Globalization;

namespace Query.Engine.Tests;

/// <summary>
/// The setting of the tests that compare a pull query on several workers (EngineOptions.QueryScanWorkers) with the
/// same query on one thread: two engines, each with the same generated rows in a 5-partition stream <c>s</c>.
/// </summary>
/// <param name="columns">The columns of <c>s</c>.</param>
/// <param name="rows">How many rows <c>s</c> holds.</param>
/// <param name="seed">The seed of the rows' values.</param>
/// <param name="row">Row <c>i</c>'s values, drawn from the seeded generator.</param>
public abstract class ParallelQueryTestBase(string columns, int rows, int seed,
    Func<Random, int, IReadOnlyList<object?>> row) : IAsyncLifetime
{
    /// <summary>Three workers, each given a partition however few records it has.</summary>
    protected EngineFixture ParallelDb { get; } = new(options => options with
    {
        QueryScanWorkers = 3,
        QueryScanWorkerMinRecords = 1,
    });

    protected EngineFixture SingleDb { get; } = new(options => options with { QueryScanWorkers = 1 });

    public async Task InitializeAsync()
    {
        foreach (var db in new[] { ParallelDb, SingleDb })
        {
            await db.ExecAsync($"CREATE STREAM s ({columns}) WITH (PARTITIONS = 5, DURABILITY = 'NONE')");
            var random = new Random(seed);
            await using var insert = db.Session.BeginBulkInsert("S");
            for (var i = 0; i < rows; i++)
                insert.AddRow(row(random, i));
            await insert.CommitAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await ParallelDb.DisposeAsync();
        await SingleDb.DisposeAsync();
    }

    /// <summary>A result as text, a line per row, to compare row for row.</summary>
    protected static List<string> Text(List<object?[]> rows)
    {
        var lines = new List<string>(rows.Count);
        foreach (var row in rows)
            lines.Add(string.Join("|", row.Select(Cell)));
        return lines;
    }

    private static string Cell(object? value) => value switch
    {
        null => "NULL",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list and not string => "[" + string.Join(",",
            list.Cast<object?>().Select(Cell)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
