using System.Text;
using Npgsql;
using Query.PgWire.Tests.Fakes;
using Query.PgWire.Types;

namespace Query.PgWire.Tests;

/// <summary>
/// CSV records without a quote are split in the pass that finds their end; records with quotes take the general
/// path. Generated records mixing both (empty, NULL, quoted empty, doubled quotes, delimiters and newlines in quotes,
/// CRLF endings, a NULL marker of its own, another delimiter) must come back as the values they were written from,
/// and a malformed plain record is reported with its line as before.
/// </summary>
public sealed class CopyCsvSplitTests : IClassFixture<PgServerFixture>
{
    private readonly PgServerFixture _server;

    public CopyCsvSplitTests(PgServerFixture server) => _server = server;

    private FakeTable NewTable() => _server.Database.CreateTable("s" + Guid.NewGuid().ToString("N")[..8], "stream",
        [new("id", PgTypeOid.Int8), new("a", PgTypeOid.Text), new("b", PgTypeOid.Text), new("c", PgTypeOid.Text)]);

    [Theory]
    [InlineData(',', "")]
    [InlineData(';', "NA")]
    public async Task Generated_records_come_back_as_written(char delimiter, string nullMarker)
    {
        var random = new Random(delimiter * 31 + nullMarker.Length);
        var expected = new List<string?[]>();
        var csv = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            var row = new string?[] { null, Value(random, delimiter), Value(random, delimiter),
                Value(random, delimiter) };
            expected.Add(row);
            csv.Append(i);
            for (var c = 1; c < row.Length; c++)
                csv.Append(delimiter).Append(Encode(row[c], delimiter, nullMarker, random));
            csv.Append(random.Next(5) == 0 ? "\r\n" : "\n");
        }
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        await using (var writer = await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN WITH (FORMAT csv, "
            + $"DELIMITER '{delimiter}', NULL '{nullMarker}')"))
        {
            // Pieces of random sizes: records are cut anywhere between CopyData messages.
            var text = csv.ToString();
            for (var at = 0; at < text.Length;)
            {
                var size = Math.Min(text.Length - at, random.Next(1, 400));
                await writer.WriteAsync(text.AsMemory(at, size));
                await writer.FlushAsync();
                at += size;
            }
        }
        Assert.Equal(expected.Count, table.Rows.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((long)i, table.Rows[i][0]);
            for (var c = 1; c < 4; c++)
                Assert.True(expected[i][c] == (string?)table.Rows[i][c], $"row {i} column {c}: expected "
                    + $"[{expected[i][c] ?? "NULL"}], got [{table.Rows[i][c] ?? "NULL"}]");
        }
    }

    [Theory]
    [InlineData("1,a,b,c\n2,a,b,c,d\n", "22P04", "line 2", "extra data after last expected column")]
    [InlineData("1,a,b,c\n2,a,\"b\",c,d\n", "22P04", "line 2", "extra data after last expected column")]
    [InlineData("1,a,b,c\n2,a,b,c\n3,a\n", "22P04", "line 3", "missing data for column \"b\"")]
    [InlineData("1,a,b,c\r\n2,a\r\n", "22P04", "line 2", "missing data for column \"b\"")]
    [InlineData("1,a,b,c\nx,a,b,c\n", "22P02", "line 2", "")]
    public async Task A_malformed_plain_record_names_its_line(string data, string sqlState, string line,
        string message)
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN WITH (FORMAT csv)");
            await writer.WriteAsync(data);
        });
        Assert.Equal(sqlState, ex.SqlState);
        Assert.Contains(line, ex.Where, StringComparison.Ordinal);
        Assert.Contains(message, ex.MessageText, StringComparison.Ordinal);
        Assert.Empty(table.Rows);
    }

    [Fact]
    public async Task The_end_marker_ends_the_data_on_the_plain_path()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        await using (var writer = await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN WITH (FORMAT csv)"))
            await writer.WriteAsync("1,a,b,c\n2,\"\\.\",,\"\"\n\\.\n3,ignored,x,y\n");
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(new object?[] { "\\.", null, "" }, table.Rows[1][1..]);
    }

    /// <summary>A value: NULL, empty, plain, or one holding the delimiter, quotes, a newline or a CR.</summary>
    private static string? Value(Random random, char delimiter) => random.Next(9) switch
    {
        0 => null,
        1 => "",
        2 => $"x{delimiter}y",
        3 => "say \"hi\"",
        4 => "two\nlines",
        5 => "cr\rinside",
        _ => "plain" + random.Next(1000),
    };

    /// <summary>As a CSV writer would: NULL as the marker, quoted when needed, and plain values quoted at random.
    /// </summary>
    private static string Encode(string? value, char delimiter, string nullMarker, Random random)
    {
        if (value is null)
            return nullMarker;
        var needsQuotes = value == nullMarker || value.IndexOfAny([delimiter, '"', '\n', '\r']) >= 0;
        return needsQuotes || random.Next(6) == 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
