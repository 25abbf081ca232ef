using Npgsql;
using NpgsqlTypes;
using Query.PgWire.Tests.Fakes;
using Query.PgWire.Types;

namespace Query.PgWire.Tests;

/// <summary>COPY FROM STDIN in text, CSV and binary through Npgsql; COPY TO STDOUT; all-or-nothing on errors.</summary>
public sealed class CopyTests : IClassFixture<PgServerFixture>
{
    private readonly PgServerFixture _server;

    public CopyTests(PgServerFixture server) => _server = server;

    private FakeTable NewTable() => _server.Database.CreateTable("t" + Guid.NewGuid().ToString("N")[..8], "stream",
    [
        new("id", PgTypeOid.Int8), new("name", PgTypeOid.Text), new("price", PgTypeOid.Numeric),
        new("at", PgTypeOid.TimestampTz),
    ]);

    [Fact]
    public async Task Text_copy_appends_rows_with_escapes_and_nulls()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        await using (var writer = await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN"))
        {
            await writer.WriteAsync("1\ta\\tb\t1.50\t2024-01-02 03:04:05+00\n");
            await writer.WriteAsync("2\t\\N\t\\N\t\\N\n3\tline\\nbreak\t-2\t2024-01-02 03:04:05.25+00\n");
        }
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal("a\tb", table.Rows[0][1]);
        Assert.Equal(1.50m, table.Rows[0][2]);
        Assert.Null(table.Rows[1][1]);
        Assert.Equal("line\nbreak", table.Rows[2][1]);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 250, DateTimeKind.Utc), table.Rows[2][3]);
    }

    [Fact]
    public async Task Csv_copy_with_header_handles_quotes_and_embedded_newlines()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        var copy = $"COPY {table.Name} (id, name, price, at) FROM STDIN WITH (FORMAT csv, HEADER true)";
        await using (var writer = await conn.BeginTextImportAsync(copy))
        {
            await writer.WriteAsync("id,name,price,at\n1,\"a,b\",2.5,2024-01-02 00:00:00+00\n");
            await writer.WriteAsync("2,\"say \"\"hi\"\"\nthere\",,\n3,\"\",0,2024-01-02 00:00:00+00\n");
        }
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal("a,b", table.Rows[0][1]);
        Assert.Equal("say \"hi\"\nthere", table.Rows[1][1]);
        Assert.Null(table.Rows[1][2]);
        Assert.Equal("", table.Rows[2][1]);
    }

    [Fact]
    public async Task Binary_copy_appends_typed_rows()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        await using (var importer = await conn.BeginBinaryImportAsync($"COPY {table.Name} FROM STDIN (FORMAT binary)"))
        {
            for (int i = 0; i < 1000; i++)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync((long)i, NpgsqlDbType.Bigint);
                await importer.WriteAsync("n" + i, NpgsqlDbType.Text);
                await importer.WriteAsync(i / 100m, NpgsqlDbType.Numeric);
                await importer.WriteAsync(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i),
                    NpgsqlDbType.TimestampTz);
            }
            Assert.Equal(1000UL, await importer.CompleteAsync());
        }
        Assert.Equal(1000, table.Rows.Count);
        Assert.Equal(999L, table.Rows[999][0]);
        Assert.Equal(9.99m, table.Rows[999][2]);
    }

    [Fact]
    public async Task Bad_row_rejects_the_whole_copy_and_names_its_line()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN");
            await writer.WriteAsync("1\ta\t1\t2024-01-02 00:00:00+00\n2\tb\t2\t2024-01-02 00:00:00+00\n");
            await writer.WriteAsync("x\tc\t3\t2024-01-02 00:00:00+00\n");
        });
        Assert.Equal("22P02", ex.SqlState);
        Assert.Contains("line 3", ex.Where, StringComparison.Ordinal);
        Assert.Empty(table.Rows);
        await using var check = new NpgsqlCommand("SELECT 1", conn);
        Assert.Equal(1, await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Missing_column_is_a_format_error()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN");
            await writer.WriteAsync("1\ta\n");
        });
        Assert.Equal("22P04", ex.SqlState);
        Assert.Empty(table.Rows);
    }

    [Fact]
    public async Task Copy_to_stdout_in_text_and_binary()
    {
        await using var conn = await _server.OpenAsync();
        using (var reader = await conn.BeginTextExportAsync("COPY items TO STDOUT WITH (FORMAT csv, HEADER)"))
        {
            Assert.Equal("id,name", await reader.ReadLineAsync());
            Assert.Equal("1,one", await reader.ReadLineAsync());
            Assert.Equal("2,two", await reader.ReadLineAsync());
            Assert.Equal("3,three", await reader.ReadLineAsync());
            Assert.Null(await reader.ReadLineAsync());
        }
        await using var exporter =
            await conn.BeginBinaryExportAsync("COPY (SELECT * FROM items) TO STDOUT (FORMAT binary)");
        var names = new List<string>();
        while (await exporter.StartRowAsync() != -1)
        {
            await exporter.ReadAsync<long>(NpgsqlDbType.Bigint);
            names.Add(await exporter.ReadAsync<string>(NpgsqlDbType.Text));
        }
        Assert.Equal(["one", "two", "three"], names);
    }

    [Fact]
    public async Task Copy_fail_from_the_client_discards_everything()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        var writer = (NpgsqlCopyTextWriter)await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN");
        await writer.WriteAsync("1\ta\t1\t2024-01-02 00:00:00+00\n");
        await writer.FlushAsync();
        await writer.CancelAsync();   // CopyFail
        Assert.Empty(table.Rows);
        await using var check = new NpgsqlCommand("SELECT 1", conn);
        Assert.Equal(1, await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_row_longer_than_the_message_limit_is_refused_not_buffered()
    {
        var table = NewTable();
        await using var conn = await _server.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync($"COPY {table.Name} FROM STDIN");
            var chunk = new string('x', 64 * 1024);
            for (int i = 0; i < 20; i++)   // 1.25 MB without a newline; the fixture's limit is 1 MB
                await writer.WriteAsync(chunk);
        });
        Assert.Equal("54000", ex.SqlState);
        Assert.Empty(table.Rows);
        await using var check = new NpgsqlCommand("SELECT 1", conn);
        Assert.Equal(1, await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Copy_into_an_unknown_relation_is_42P01()
    {
        await using var conn = await _server.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await conn.BeginTextImportAsync("COPY nope FROM STDIN");
        });
        Assert.Equal("42P01", ex.SqlState);
    }
}
