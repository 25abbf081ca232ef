namespace Query.Engine.Tests;

/// <summary>What the statement fuzzer (<see cref="StatementFuzzTests"/>) found, each kept as the shape that
/// showed it.</summary>
public sealed class StatementFuzzFindingsTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => _db.ExecAsync(
        "CREATE STREAM fs (k INT KEY, a ARRAY<INT>, mp MAP<STRING, INT>, st STRUCT<x INT, z STRING>, "
            + "ts ARRAY<TIMESTAMP>) WITH (PARTITIONS = 1)");

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    /// <summary>A constructor's NULL (or untyped string) took STRING as its type, so an INSERT of
    /// <c>STRUCT(x := NULL)</c> into a STRUCT&lt;x INT&gt; column was 42804; the column's type now types it.
    /// </summary>
    [Fact]
    public async Task Null_fields_and_elements_of_constructors_take_the_type_of_the_column_they_are_inserted_into()
    {
        await _db.ExecAsync("INSERT INTO fs (k, a, mp, st, ts) VALUES (1, ARRAY[NULL], MAP('a' := NULL), "
            + "STRUCT(x := NULL, z := NULL), ARRAY['2024-01-01 00:00:00'])");
        await _db.ExecAsync("INSERT INTO fs (k, st) VALUES (2, STRUCT(x := '5', z := 'q'))");
        var rows = await _db.QueryAsync("SELECT k, a[1], mp['a'], st->x, st->z, ts[1] FROM fs ORDER BY k");
        Assert.Equal([1, null, null, null, null, 1_704_067_200_000L], rows[0]);
        Assert.Equal([2, null, null, 5, "q", null], rows[1]);
    }

    /// <summary>A DELIMITED stream whose only column is its key writes empty values, which read back as records
    /// that did not decode: every row of <c>CREATE STREAM o WITH (VALUE_FORMAT = 'DELIMITED') AS SELECT k AS c0
    /// FROM s</c> was skipped.</summary>
    [Fact]
    public async Task A_delimited_stream_of_key_columns_only_reads_back_its_rows()
    {
        await _db.ExecAllAsync("SET 'auto.offset.reset' = 'earliest'",
            "INSERT INTO fs (k) VALUES (1), (2)",
            "CREATE STREAM keys_only WITH (VALUE_FORMAT = 'DELIMITED') AS SELECT k AS c0 FROM fs EMIT CHANGES",
            "CREATE STREAM typed_keys (k INT KEY) WITH (VALUE_FORMAT = 'DELIMITED')",
            "INSERT INTO typed_keys (k) VALUES (7)");
        Assert.True(await _db.Engine.WaitForPersistentQueriesAsync(TimeSpan.FromSeconds(30)));
        var rows = await _db.QueryAsync("SELECT c0 FROM keys_only");
        Assert.Equal([1, 2], rows.Select(r => (int)r[0]!).Order());
        Assert.Equal(7, Assert.Single(await _db.QueryAsync("SELECT k FROM typed_keys"))[0]);
    }
}
