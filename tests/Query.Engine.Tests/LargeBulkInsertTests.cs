using System.Text;

namespace Query.Engine.Tests;

/// <summary>
/// Bulk inserts past the staging threshold: written ahead while rows arrive, visible only at the commit, all or
/// nothing, and nothing left on disk when abandoned.
/// </summary>
public sealed class LargeBulkInsertTests : IAsyncLifetime
{
    // About 110 bytes a row encoded: enough rows to pass the threshold in every partition several times over.
    private const int Rows = 300_000;

    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM big (id BIGINT, ts TIMESTAMP, page STRING) WITH (PARTITIONS = 2, TIMESTAMP = 'ts')",
        "CREATE STREAM wide (id BIGINT, ts TIMESTAMP, page STRING) WITH (PARTITIONS = 16, TIMESTAMP = 'ts')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static void AddRows(BulkInsert insert, int first, int count)
    {
        var page = Encoding.UTF8.GetBytes("/shop/category-07/subcategory-3/product-0042/details/and/more/text");
        for (var i = first; i < first + count; i++)
        {
            insert.BeginRow();
            insert.SetInt64(0, i);
            insert.SetTimestampMs(1, 1_704_067_200_000L + i);
            insert.SetBytes(2, page);
            insert.EndRow();
        }
    }

    private string[] TemporaryFiles() =>
        Directory.GetFiles(_db.DataDirectory, "*.tmp", SearchOption.AllDirectories);

    [Fact]
    public async Task A_large_bulk_insert_is_invisible_until_its_commit_and_then_complete()
    {
        await using (var insert = _db.Session.BeginBulkInsert("BIG", null))
        {
            AddRows(insert, 0, Rows);
            Assert.NotEmpty(TemporaryFiles());
            Assert.Equal(0L, (await _db.QueryAsync("SELECT COUNT(*) FROM big"))[0][0]);
            Assert.Equal(Rows, await insert.CommitAsync());
        }
        Assert.Empty(TemporaryFiles());
        var summary = await _db.QueryAsync("SELECT COUNT(*), COUNT(DISTINCT id), MIN(id), MAX(id) FROM big");
        Assert.Equal([(long)Rows, (long)Rows, 0L, (long)Rows - 1], summary[0]);
        var range = await _db.QueryAsync(
            "SELECT id FROM big WHERE ROWTIME >= 1704067200000 + 123456 AND ROWTIME < 1704067200000 + 123460");
        Assert.Equal([123456L, 123457L, 123458L, 123459L], range.Select(r => r[0]).Order());

        await _db.RestartAsync();
        Assert.Equal((long)Rows, (await _db.QueryAsync("SELECT COUNT(*) FROM big"))[0][0]);
    }

    [Fact]
    public async Task Many_partitions_start_writing_ahead_once_all_together_hold_64_MiB()
    {
        // 700,000 rows are about 80 MB: 5 MB per partition, under the 8 MiB one partition waits for.
        await using (var insert = _db.Session.BeginBulkInsert("WIDE", null))
        {
            AddRows(insert, 0, 700_000);
            Assert.NotEmpty(TemporaryFiles());
            Assert.Equal(700_000, await insert.CommitAsync());
        }
        Assert.Equal(700_000L, (await _db.QueryAsync("SELECT COUNT(*) FROM wide"))[0][0]);
    }

    [Fact]
    public async Task A_partition_whose_first_row_comes_after_the_others_started_writing_ahead_takes_it()
    {
        await _db.ExecAsync("CREATE STREAM keyed (k INT KEY, id BIGINT, page STRING) WITH (PARTITIONS = 16)");
        // One key per partition. Rows of 200 KB fill a batch each, so after 256 rows over the first 15 partitions
        // they hold 256 batches (the 64 MiB at which every partition writes ahead) and each fewer than the 32 (8
        // MiB) one partition waits for. Then the 16th partition gets its first row, with nothing of its own to
        // write ahead (this used to throw).
        var keys = new int[16];
        for (var k = 1; keys.Contains(0); k++)
        {
            var partition = Format.KafkaPartitioner.Partition(
                Format.KafkaPartitioner.SerializeKey(Types.Cell.FromInt64(k), Types.SqlType.Int), 16);
            if (keys[partition] == 0)
                keys[partition] = k;
        }
        var page = Encoding.UTF8.GetBytes(new string('p', 200 << 10));
        await using (var insert = _db.Session.BeginBulkInsert("KEYED", null))
        {
            for (var i = 0; i < 256; i++)
                AddKeyed(insert, keys[i % 15], i, page);
            AddKeyed(insert, keys[15], -1, page);
            Assert.Equal(257, await insert.CommitAsync());
        }
        Assert.Equal(257L, (await _db.QueryAsync("SELECT COUNT(*) FROM keyed"))[0][0]);
    }

    private static void AddKeyed(BulkInsert insert, int key, long id, byte[] page)
    {
        insert.BeginRow();
        insert.SetInt64(0, key);
        insert.SetInt64(1, id);
        insert.SetBytes(2, page);
        insert.EndRow();
    }

    [Fact]
    public async Task An_abandoned_large_bulk_insert_writes_nothing_and_leaves_no_files()
    {
        await using (var insert = _db.Session.BeginBulkInsert("BIG", null))
            AddRows(insert, 0, Rows);
        Assert.Empty(TemporaryFiles());
        Assert.Equal(0L, (await _db.QueryAsync("SELECT COUNT(*) FROM big"))[0][0]);
        await _db.ExecAsync("INSERT INTO big (id, ts) VALUES (1, '1970-01-01 00:00:01')");
        Assert.Equal(1L, (await _db.QueryAsync("SELECT COUNT(*) FROM big"))[0][0]);
    }

    [Fact]
    public async Task Inserts_during_a_large_bulk_insert_are_not_blocked_and_keep_their_place()
    {
        await using (var insert = _db.Session.BeginBulkInsert("BIG", null))
        {
            AddRows(insert, 0, Rows);
            var other = _db.Engine.CreateSession();
            await using (await other.ExecuteAsync("INSERT INTO big (id, ts) VALUES (-1, '1970-01-01 00:00:01')"))
            {
            }
            Assert.Equal(1L, (await _db.QueryAsync("SELECT COUNT(*) FROM big"))[0][0]);
            await insert.CommitAsync();
        }
        var rows = await _db.QueryAsync("SELECT COUNT(*), MIN(id) FROM big");
        Assert.Equal([(long)Rows + 1, -1L], rows[0]);
    }
}
