using System.Buffers;
using Query.Engine.Execution;
using Query.Engine.Execution.Operators;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>
/// The prefilter over kept chunks' decoded columns: a column with no NULL in a chunk is kept without NULL flags, and
/// the comparisons then skip the NULL test; a chunk with NULLs keeps them. Either way, and whichever term runs
/// first (over the chunk's records, or over the candidates another term left), the answers are a log scan's.
/// </summary>
public sealed class ScanPrefilterTests : IAsyncLifetime
{
    private const int Rows = 2000;
    private readonly EngineFixture _cached = new(options => options with { BatchRows = 64 });
    private readonly EngineFixture _plain = new(options => options with { BatchRows = 64, ScanCacheBytes = 0 });

    public async Task InitializeAsync()
    {
        foreach (var db in new[] { _cached, _plain })
        {
            await db.ExecAsync("CREATE STREAM p (k INT KEY, y INT, z DOUBLE, b BIGINT) WITH (DURABILITY = 'NONE')");
            var random = new Random(11);
            await using var insert = db.Session.BeginBulkInsert("P");
            for (var i = 0; i < Rows; i++)
            {
                // y is NULL only in rows 500-599 (so in a few chunks), b in every 7th row, z never.
                insert.AddRow([i, i is >= 500 and < 600 ? null : random.Next(-50, 50), random.Next(1000) / 8.0,
                    i % 7 == 0 ? null : (long)random.Next(100)]);
            }
            await insert.CommitAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await _cached.DisposeAsync();
        await _plain.DisposeAsync();
    }

    [Theory]
    [InlineData("SELECT k FROM p WHERE y > 10")]
    [InlineData("SELECT k FROM p WHERE y <> 3 AND z < 50")]
    [InlineData("SELECT k FROM p WHERE z < 50 AND y <> 3")]
    [InlineData("SELECT k FROM p WHERE z >= 20.5 AND b = 42")]
    [InlineData("SELECT k FROM p WHERE b <= 42 AND y >= -10 AND z > 1 AND k <> 700")]
    [InlineData("SELECT COUNT(*) FROM p WHERE y < 0 AND b > 50")]
    public async Task Prefiltered_kept_chunks_answer_what_the_log_answers(string sql)
    {
        var expected = await _plain.QueryAsync(sql);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await _cached.QueryAsync(sql));   // reads the log, keeps the chunks
        Assert.Equal(expected, await _cached.QueryAsync(sql));   // the prefilter over the kept chunks
    }

    [Fact]
    public void A_column_without_null_is_decoded_without_null_flags()
    {
        var types = new SqlType[] { SqlType.Int, SqlType.Double };
        var records = Batch(types, [[1L, 0.5], [2L, 1.5], [3L, 2.5]]);
        var decoded = DecodedColumn.Decode(records, 0, SqlTypeKind.Int, records.Cursor);
        Assert.Null(decoded.Nulls);
        Assert.Equal([1L, 2L, 3L], decoded.Integers!);
        Assert.Equal(3 * 8, decoded.SizeBytes);
    }

    [Fact]
    public void A_column_with_a_null_keeps_its_null_flags()
    {
        var types = new SqlType[] { SqlType.Int, SqlType.Double };
        var records = Batch(types, [[1L, 0.5], [2L, null], [3L, 2.5]]);
        var decoded = DecodedColumn.Decode(records, 1, SqlTypeKind.Double, records.Cursor);
        Assert.Equal([false, true, false], decoded.Nulls!);
        Assert.Equal(0.5, decoded.Reals![0]);
        Assert.Equal(3 * 9, decoded.SizeBytes);
    }

    // Rows in the engine's binary format (cells: long for INT, double for DOUBLE, null for NULL).
    private static RecordBatch Batch(SqlType[] types, object?[][] rows)
    {
        var cursor = new RecordCursor(types, ["a", "b"], codec: null);
        var batch = new RecordBatch(rows.Length, 1 << 20, cursor);
        var writer = new ArrayBufferWriter<byte>();
        for (var r = 0; r < rows.Length; r++)
        {
            writer.Clear();
            var cells = new Cell[types.Length];
            for (var c = 0; c < types.Length; c++)
            {
                cells[c] = rows[r][c] switch
                {
                    null => Cell.Null,
                    long l => Cell.FromInt64(l),
                    var d => Cell.FromDouble((double)d),
                };
            }
            BinaryRowFormat.Write(writer, cells, types);
            Assert.True(batch.Add(default, hasKey: false, writer.WrittenSpan, r, 1000 + r, 0));
        }
        return batch;
    }
}
