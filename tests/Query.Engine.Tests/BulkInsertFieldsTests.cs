using System.Text;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>The allocation-free row API COPY uses (BeginRow / Set... / EndRow).</summary>
public sealed class BulkInsertFieldsTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM t (k STRING KEY, i INT, d DECIMAL(5, 2), ts TIMESTAMP, s STRING, b BYTES, f DOUBLE) "
            + "WITH (PARTITIONS = 4, TIMESTAMP = 'ts')",
        "CREATE STREAM j (k STRING KEY, i INT, s STRING) WITH (PARTITIONS = 3, VALUE_FORMAT = 'JSON')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static void AddText(BulkInsert insert, params string?[] fields)
    {
        insert.BeginRow();
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i] is not null)
                insert.SetText(i, Encoding.UTF8.GetBytes(fields[i]!));
        }
        insert.EndRow();
    }

    [Fact]
    public async Task Text_fields_round_trip_with_nulls_and_empty_strings()
    {
        await using (var insert = _db.Session.BeginBulkInsert("t", ["k", "i", "d", "ts", "s", "b", "f"]))
        {
            AddText(insert, "a", "1", "1.005", "2024-01-01 00:00:00.25", "x", "\\x00ff", "2.5");
            AddText(insert, "b", null, null, "2024-01-02 00:00:00", "", null, "-1e3");
            insert.BeginRow();
            insert.SetText(0, "c"u8);
            insert.SetNull(1);
            insert.SetText(3, "2024-01-03 00:00:00"u8);
            insert.SetText(4, "naïve ✓"u8);
            insert.EndRow();
            Assert.Equal(3, await insert.CommitAsync());
        }
        var rows = await _db.QueryAsync("SELECT k, i, d, ts, s, b, f, ROWTIME FROM t ORDER BY k");
        Assert.Equal(["a", 1, 1.01m, 1_704_067_200_250L, "x", new byte[] { 0, 255 }, 2.5, 1_704_067_200_250L],
            rows[0]);
        Assert.Equal(["b", null, null, 1_704_153_600_000L, "", null, -1000.0], rows[1][..7]);
        Assert.Equal(["c", null, null, 1_704_240_000_000L, "naïve ✓", null, null], rows[2][..7]);
    }

    [Fact]
    public async Task Typed_setters_store_what_the_text_path_stores()
    {
        await using (var insert = _db.Session.BeginBulkInsert("t", ["k", "i", "ts", "s", "b", "f"]))
        {
            insert.BeginRow();
            insert.SetBytes(0, "typed"u8);
            insert.SetInt64(1, -5);
            insert.SetTimestampMs(2, 1_704_067_200_000L);
            insert.SetBytes(3, "s"u8);
            insert.SetBytes(4, [1, 2, 3]);
            insert.SetDouble(5, 0.5);
            insert.EndRow();
            await insert.CommitAsync();
        }
        var rows = await _db.QueryAsync("SELECT k, i, ts, s, b, f FROM t");
        Assert.Equal(["typed", -5, 1_704_067_200_000L, "s", new byte[] { 1, 2, 3 }, 0.5], rows[0]);
    }

    [Fact]
    public async Task An_int_out_of_range_from_a_typed_setter_is_22003()
    {
        await using var insert = _db.Session.BeginBulkInsert("t", ["k", "i"]);
        insert.BeginRow();
        var error = Assert.Throws<SqlException>(() => insert.SetInt64(1, 3_000_000_000L));
        Assert.Equal(SqlState.NumericValueOutOfRange, error.SqlState);
    }

    [Fact]
    public async Task A_bad_value_names_its_line_and_column_and_nothing_is_written()
    {
        await using (var insert = _db.Session.BeginBulkInsert("t", ["k", "i"]))
        {
            AddText(insert, "a", "1");
            AddText(insert, "b", "2");
            insert.BeginRow();
            insert.SetText(0, "c"u8);
            var error = Assert.Throws<SqlException>(() => insert.SetText(1, "seven"u8));
            Assert.Equal(SqlState.InvalidTextRepresentation, error.SqlState);
            Assert.Equal("COPY t, line 3, column i", error.Detail);
        }
        Assert.Equal(0L, (await _db.QueryAsync("SELECT COUNT(*) FROM t"))[0][0]);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_string_is_rejected_with_22021()
    {
        await using var insert = _db.Session.BeginBulkInsert("t", ["k", "s"]);
        AddText(insert, "a", "ok");
        insert.BeginRow();
        var error = Assert.Throws<SqlException>(() => insert.SetText(1, [0x61, 0xC3, 0x28]));
        Assert.Equal("22021", error.SqlState);
        Assert.Equal("COPY t, line 2, column s", error.Detail);
    }

    [Fact]
    public async Task Keys_land_in_the_same_partition_as_insert_puts_them()
    {
        var keys = new[] { "alpha", "beta", "gamma", "delta", "epsilon", "zeta" };
        foreach (var key in keys)
            await _db.ExecAsync($"INSERT INTO t (k, i, ts) VALUES ('{key}', 1, '1970-01-01 00:00:01')");
        await using (var insert = _db.Session.BeginBulkInsert("t", ["k", "i", "d", "ts"]))
        {
            foreach (var key in keys)
                AddText(insert, key, "2", null, "1970-01-01 00:00:01");
            await insert.CommitAsync();
        }
        var rows = await _db.QueryAsync("SELECT k, i, ROWPARTITION FROM t");
        foreach (var key in keys)
        {
            var partitions = rows.Where(r => (string)r[0]! == key).Select(r => r[2]).Distinct().ToList();
            Assert.Single(partitions);
        }
        Assert.Equal(12, rows.Count);
    }

    [Fact]
    public async Task The_json_value_format_gets_the_same_rows()
    {
        await using (var insert = _db.Session.BeginBulkInsert("j"))
        {
            AddText(insert, "a", "1", "x");
            AddText(insert, "b", null, "");
            await insert.CommitAsync();
        }
        var rows = await _db.QueryAsync("SELECT k, i, s FROM j ORDER BY k");
        Assert.Equal(["a", 1, "x"], rows[0]);
        Assert.Equal(["b", null, ""], rows[1]);
    }
}
