using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Query.Server.Tests;

/// <summary>
/// COPY's span-parsing ingest path end to end: every scalar type in text, CSV and binary, NULL versus empty
/// strings, CSV quoting, and bad values (line number in the error, nothing written).
/// </summary>
public sealed class CopyIngestTests : IClassFixture<ServerFixture>
{
    private const string Columns = "(ts TIMESTAMP, n INT, big BIGINT, s STRING, f DOUBLE, ok BOOLEAN, "
        + "d DECIMAL(6, 2), b BYTES)";

    private const string Select = "SELECT CAST(ts AS STRING), n, big, s, f, ok, CAST(d AS STRING), b FROM ";

    private readonly ServerFixture _server;

    public CopyIngestTests(ServerFixture server) => _server = server;

    private static readonly object?[] First =
        ["2024-01-02 03:04:05.678", 1, 9_000_000_000L, "a\tb", 2.5, true, "12.35", new byte[] { 0, 255 }];

    private static readonly object?[] Second = [null, null, null, "", null, null, null, null];

    [Fact]
    public async Task Text_format_parses_every_type_and_keeps_null_apart_from_empty()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        await using (var writer = await conn.BeginTextImportAsync($"COPY {name} FROM STDIN"))
        {
            await writer.WriteAsync("2024-01-02T03:04:05.678Z\t1\t9000000000\ta\\tb\t2.5\tt\t12.345\t\\\\x00ff\n");
            await writer.WriteAsync("\\N\t\\N\t\\N\t\t\\N\t\\N\t\\N\t\\N\n");
        }
        await AssertRowsAsync(conn, name);
    }

    [Fact]
    public async Task Csv_format_unquotes_fields_and_reads_unquoted_empty_as_null()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        await using (var writer = await conn.BeginTextImportAsync($"COPY {name} FROM STDIN (FORMAT csv)"))
        {
            await writer.WriteAsync("2024-01-02 03:04:05.678,\"1\",9000000000,\"a\tb\",2.5,true,12.345,\\x00ff\n");
            await writer.WriteAsync(",,,\"\",,,,\n");
        }
        await AssertRowsAsync(conn, name);
    }

    [Fact]
    public async Task Csv_quotes_may_hold_delimiters_quotes_newlines_and_start_mid_field()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("csv");
        await conn.ExecuteAsync($"CREATE STREAM {name} (id INT, s STRING)");
        await using (var writer = await conn.BeginTextImportAsync($"COPY {name} FROM STDIN (FORMAT csv)"))
            await writer.WriteAsync("1,\"x, \"\"y\"\"\nz\"\n2,ab\"c,d\"e\n3,\n4,plain\r\n");
        var rows = (await conn.QueryAsync<(int, string?)>($"SELECT id, s FROM {name} ORDER BY id")).ToList();
        Assert.Equal(new (int, string?)[] { (1, "x, \"y\"\nz"), (2, "abc,de"), (3, null), (4, "plain") }, rows);
    }

    [Fact]
    public async Task Binary_format_decodes_every_type()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = await CreateAsync(conn);
        await using (var importer = await conn.BeginBinaryImportAsync($"COPY {name} FROM STDIN (FORMAT binary)"))
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(new DateTime(2024, 1, 2, 3, 4, 5, 678), NpgsqlDbType.Timestamp);
            await importer.WriteAsync(1, NpgsqlDbType.Integer);
            await importer.WriteAsync(9_000_000_000L, NpgsqlDbType.Bigint);
            await importer.WriteAsync("a\tb", NpgsqlDbType.Text);
            await importer.WriteAsync(2.5, NpgsqlDbType.Double);
            await importer.WriteAsync(true, NpgsqlDbType.Boolean);
            await importer.WriteAsync(12.345m, NpgsqlDbType.Numeric);
            await importer.WriteAsync(new byte[] { 0, 255 }, NpgsqlDbType.Bytea);
            await importer.StartRowAsync();
            for (var i = 0; i < 8; i++)
            {
                if (i == 3)
                    await importer.WriteAsync("", NpgsqlDbType.Text);
                else
                    await importer.WriteNullAsync();
            }
            await importer.CompleteAsync();
        }
        await AssertRowsAsync(conn, name);
    }

    [Theory]
    [InlineData("", "2024-01-01 00:00:00\t1\n2024-01-01 00:00:00\t2\n2024-02-30 00:00:00\t3\n", "22007", "line 3")]
    [InlineData("", "2024-01-01 00:00:00\t1\n2024-01-01 00:00:00\t99999999999\n", "22003", "line 2")]
    [InlineData(" (FORMAT csv)", "2024-01-01 00:00:00,1\n2024-01-01 00:00:00,x\n", "22P02", "line 2")]
    [InlineData(" (FORMAT csv)", "2024-01-01 00:00:00,1\n\"2024-01-01,2\n", "22P04", "line 2")]
    public async Task A_bad_value_names_its_line_and_writes_nothing(string with, string data, string sqlState,
        string where)
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("bad");
        await conn.ExecuteAsync($"CREATE STREAM {name} (ts TIMESTAMP, n INT)");
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync($"COPY {name} FROM STDIN{with}");
            await writer.WriteAsync(data);
        });
        Assert.Equal(sqlState, ex.SqlState);
        Assert.Contains(where, (ex.Where ?? "") + ex.Detail, StringComparison.Ordinal);
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {name}"));
    }

    [Fact]
    public async Task A_string_that_is_not_utf8_is_22021_and_writes_nothing()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("utf8");
        await conn.ExecuteAsync($"CREATE STREAM {name} (n INT, s STRING)");
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var stream = await conn.BeginRawBinaryCopyAsync(
                $"COPY {name} FROM STDIN (FORMAT binary)");
            byte[] header = [.. "PGCOPY\n"u8, 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
            byte[] row = [0, 2, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0xC3, 0x28, 0xFF, 0xFF];
            await stream.WriteAsync(header);
            await stream.WriteAsync(row);
        });
        Assert.Equal("22021", ex.SqlState);
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {name}"));
    }

    [Fact]
    public async Task A_large_copy_is_written_ahead_yet_all_or_nothing()
    {
        // 200,000 rows of ~100 bytes: past the 8 MiB at which a COPY starts writing ahead into a staged append.
        await using var conn = await _server.OpenConnectionAsync();
        var good = ServerFixture.UniqueName("large");
        var bad = ServerFixture.UniqueName("large");
        foreach (var name in new[] { good, bad })
            await conn.ExecuteAsync($"CREATE STREAM {name} (ts TIMESTAMP, id INT, page STRING, amount DOUBLE)");
        static string Line(int i) =>
            $"2024-01-01 00:00:{i % 60:D2}.{i % 1000:D3}\t{i}\t/shop/category-{i % 100:D2}/product-{i % 977:D4}/details"
            + $"/with/a/longer/path\t{i % 100_000 / 100.0}\n";
        await using (var writer = await conn.BeginTextImportAsync($"COPY {good} FROM STDIN"))
        {
            for (var i = 0; i < 200_000; i++)
                await writer.WriteAsync(Line(i));
        }
        Assert.Equal(200_000L, await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {good}"));
        Assert.Equal(199_999L, await conn.ExecuteScalarAsync<long>($"SELECT MAX(id) FROM {good}"));

        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync($"COPY {bad} FROM STDIN");
            for (var i = 0; i < 200_000; i++)
                await writer.WriteAsync(i == 190_000 ? "2024-01-01 00:00:00\tnot a number\tx\t1\n" : Line(i));
        });
        Assert.Equal("22P02", ex.SqlState);
        Assert.Contains("line 190001", ex.Where);
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {bad}"));
        Assert.Empty(Directory.GetFiles(_server.DataDirectory, "*.tmp", SearchOption.AllDirectories));
    }

    private static async Task<string> CreateAsync(NpgsqlConnection conn)
    {
        var name = ServerFixture.UniqueName("ingest");
        await conn.ExecuteAsync($"CREATE STREAM {name} {Columns}");
        return name;
    }

    private static async Task AssertRowsAsync(NpgsqlConnection conn, string name)
    {
        await using var cmd = new NpgsqlCommand(Select + name + " ORDER BY s DESC", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        foreach (var expected in new[] { First, Second })
        {
            Assert.True(await reader.ReadAsync());
            for (var i = 0; i < expected.Length; i++)
                Assert.Equal(expected[i], reader.IsDBNull(i) ? null : reader.GetValue(i));
        }
        Assert.False(await reader.ReadAsync());
    }
}
