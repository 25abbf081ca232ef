using System.Text;
using Npgsql;
using Query.PgWire.Types;

namespace Query.PgWire.Tests;

/// <summary>A server that cuts COPY input into tiny chunks parsed on two threads.</summary>
public sealed class SmallChunkServerFixture : PgServerFixture
{
    protected override void Configure(PgServerOptions options)
    {
        options.CopyParallelism = 2;
        options.CopyChunkBytes = 100;
    }
}

/// <summary>
/// COPY FROM STDIN parsed in parallel chunks (CopyParallelism, CopyChunkBytes): rows keep their order, quoted CSV
/// fields spanning lines are never cut, an error names its line as the one-thread parser does, and nothing is
/// written on an error.
/// </summary>
public sealed class CopyChunkTests : IClassFixture<SmallChunkServerFixture>
{
    private readonly SmallChunkServerFixture _server;

    public CopyChunkTests(SmallChunkServerFixture server) => _server = server;

    private Fakes.FakeTable NewTable(bool lanes = true)
    {
        var table = _server.Database.CreateTable("c" + Guid.NewGuid().ToString("N")[..8], "stream",
            [new("id", PgTypeOid.Int8), new("name", PgTypeOid.Text)]);
        table.CopyLanes = lanes;
        return table;
    }

    [Fact]
    public async Task Rows_parsed_in_chunks_keep_their_order()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        await using (var writer = await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN"))
        {
            for (var i = 0; i < 3000; i++)
                await writer.WriteAsync($"{i}\tname {i}{(i % 7 == 0 ? "\\twith tab" : "")}\n");
        }
        Assert.Equal(3000, table.Rows.Count);
        for (var i = 0; i < 3000; i++)
            Assert.Equal((long)i, table.Rows[i][0]);
        Assert.Equal("name 7\twith tab", table.Rows[7][1]);
        Assert.True(table.LanesOpened > 10, $"{table.LanesOpened} lanes");
    }

    [Fact]
    public async Task Csv_quoted_fields_with_newlines_are_never_cut()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        var text = new StringBuilder("id,name\n");
        for (var i = 0; i < 500; i++)
            text.Append(i).Append(i % 3 == 0 ? $",\"line\none of {i}, \"\"quoted\"\"\"\n" : $",plain {i}\n");
        await using (var writer = await conn.BeginTextImportAsync(
            $"COPY {table.Name} FROM STDIN WITH (FORMAT csv, HEADER true)"))
            await writer.WriteAsync(text.ToString());
        Assert.Equal(500, table.Rows.Count);
        Assert.Equal("line\none of 3, \"quoted\"", table.Rows[3][1]);
        Assert.Equal("plain 499", table.Rows[499][1]);
        Assert.Equal(498L, table.Rows[498][0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bad_row_in_a_later_chunk_names_its_line_and_writes_nothing(bool lanes)
    {
        var table = NewTable(lanes);
        await using var conn = await _server.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync(
                $"COPY {table.Name} FROM STDIN WITH (FORMAT csv)");
            for (var i = 1; i <= 2000; i++)
                await writer.WriteAsync(i == 1500 ? "x,bad\n" : i % 100 == 0 ? $"{i},\"two\nlines\"\n" : $"{i},n\n");
        });
        Assert.Equal("22P02", ex.SqlState);
        // Lines 1..1499 hold 14 records of two lines each (every 100th), so record 1500 starts on line 1514.
        Assert.Contains("line 1514", ex.Where, StringComparison.Ordinal);
        Assert.Empty(table.Rows);
    }

    [Fact]
    public async Task The_end_marker_ends_the_data_in_any_chunk()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        await using (var writer = await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN"))
        {
            for (var i = 0; i < 400; i++)
                await writer.WriteAsync(i == 300 ? "\\.\n" : $"{i}\tx\n");
        }
        Assert.Equal(300, table.Rows.Count);
        Assert.Equal(299L, table.Rows[^1][0]);
    }
}
