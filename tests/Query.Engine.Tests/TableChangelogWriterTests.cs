using Query.Engine.Execution;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>The API a persistent query writes a table's changelog with, inside its own transaction.</summary>
public sealed class TableChangelogWriterTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE TABLE totals (k STRING PRIMARY KEY, n BIGINT) WITH (PARTITIONS = 3)",
        "INSERT INTO totals VALUES ('old', 1)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static Cell[] Row(string key, long? n) =>
        [Cell.FromObject(key, SqlType.String), n is null ? Cell.Null : Cell.FromObject(n.Value, SqlType.BigInt)];

    [Fact]
    public async Task Upserts_and_deletes_committed_in_a_transaction_reach_the_table_state()
    {
        Assert.True(_db.Engine.TryGetStream("totals", out var table));
        using var writer = new TableChangelogWriter(table);
        writer.Upsert(Row("a", 1), 1000);
        writer.Upsert(Row("b", 2), 1000);
        writer.Upsert(Row("a", 3), 2000);
        writer.Delete(Row("old", null));
        using (var transaction = table.Log.BeginTransaction())
        {
            writer.AppendTo(transaction);
            await transaction.CommitAsync();
        }
        writer.Reset();
        Assert.Equal(0, writer.Count);
        var rows = await _db.QueryAsync("SELECT k, n, ROWTIME FROM totals ORDER BY k");
        Assert.Equal([["a", 3L, 2000L], ["b", 2L, 1000L]], rows);
    }

    [Fact]
    public async Task An_aborted_transaction_changes_nothing()
    {
        Assert.True(_db.Engine.TryGetStream("totals", out var table));
        using var writer = new TableChangelogWriter(table);
        writer.Delete(Row("old", null));
        using (var transaction = table.Log.BeginTransaction())
            writer.AppendTo(transaction);
        writer.Reset();
        Assert.Equal(["old", 1L], Assert.Single(await _db.QueryAsync("SELECT k, n FROM totals")));
    }
}
