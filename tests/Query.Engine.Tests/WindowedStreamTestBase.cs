using System.Globalization;

namespace Query.Engine.Tests;

/// <summary>
/// The setting of the tests of windowed aggregates and windowed tables over one stream: an engine committing every
/// 20 ms and the stream <c>ev (k INT KEY, x INT)</c>, read from its earliest record, with the INSERTs that feed it.
/// </summary>
/// <param name="partitions">The partitions of ev.</param>
public abstract class WindowedStreamTestBase(int partitions = 1) : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected EngineFixture Db { get; } = new(options => options with { PersistentCommitIntervalMs = 20 });

    public async Task InitializeAsync() => await Db.ExecAllAsync(
        // One partition unless a test class asks for more: stream time is the largest ROWTIME over all partitions
        // (but where it is kept per partition), so with a short grace how two partitions interleave would decide
        // which records are late.
        $"CREATE STREAM ev (k INT KEY, x INT) WITH (PARTITIONS = {partitions}, DURABILITY = 'NONE')",
        "SET 'auto.offset.reset' = 'earliest'");

    public async Task DisposeAsync() => await Db.DisposeAsync();

    /// <summary>One INSERT of <paramref name="rows"/> into ev.</summary>
    protected Task InsertAsync(params (int Key, int X, long TimeMs)[] rows) => Db.ExecAsync(
        "INSERT INTO ev (k, x, ROWTIME) VALUES " + string.Join(", ", rows.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"({r.Key}, {r.X}, {r.TimeMs})"))));

    /// <summary>One INSERT of <paramref name="rows"/> into ev, each with x = 1.</summary>
    protected Task InsertAsync(IEnumerable<(int Key, long TimeMs)> rows) =>
        InsertAsync([.. rows.Select(r => (r.Key, 1, r.TimeMs))]);
}
