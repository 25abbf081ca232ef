using System.Buffers.Binary;
using Npgsql;

namespace Query.PgWire.Tests;

/// <summary>SHOW answered by the wire layer, and protocol corners real drivers rely on.</summary>
public sealed class CatalogAndProtocolTests : IClassFixture<PgServerFixture>
{
    private readonly PgServerFixture _server;

    public CatalogAndProtocolTests(PgServerFixture server) => _server = server;

    [Fact]
    public async Task Show_statements_are_answered_by_the_wire_layer()
    {
        await using var conn = await _server.OpenAsync();
        await using (var cmd = new NpgsqlCommand("SHOW TRANSACTION ISOLATION LEVEL", conn))
            Assert.Equal("read committed", await cmd.ExecuteScalarAsync());
        await using (var cmd = new NpgsqlCommand("SHOW ALL", conn))
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            var names = new List<string>();
            while (await reader.ReadAsync())
                names.Add(reader.GetString(0));
            Assert.Contains("integer_datetimes", names);
        }
    }

    [Fact]
    public async Task Parse_without_parameter_types_reports_inferred_types()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await client.SendAsync('P', RawPgClient.CString("s1"), RawPgClient.CString("SELECT $1, $2::int8"),
            RawPgClient.Int16(0));
        await client.SendAsync('D', [(byte)'S'], RawPgClient.CString("s1"));
        await client.SendAsync('S');
        Assert.Equal('1', (await client.ReadAsync())!.Value.Type);
        var parameters = (await client.ReadAsync())!.Value;
        Assert.Equal('t', parameters.Type);
        Assert.Equal(2, BinaryPrimitives.ReadInt16BigEndian(parameters.Body));
        Assert.Equal(25, BinaryPrimitives.ReadInt32BigEndian(parameters.Body.AsSpan(2)));
        Assert.Equal(20, BinaryPrimitives.ReadInt32BigEndian(parameters.Body.AsSpan(6)));
        Assert.Equal("TZ", await client.ReadUntilAsync('Z'));
    }

    [Fact]
    public async Task Multiple_commands_in_one_parse_are_rejected()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await client.SendAsync('P', RawPgClient.CString(""), RawPgClient.CString("SELECT 1; SELECT 2"),
            RawPgClient.Int16(0));
        await client.SendAsync('S');
        Assert.Equal("EZ", await client.ReadUntilAsync('Z'));
    }

    [Fact]
    public async Task Newer_protocol_minor_version_and_pq_options_are_negotiated_down()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port, startup: false);
        var body = new List<byte>();
        body.AddRange(RawPgClient.BigEndian(196608 + 2));
        foreach (var s in new[] { "user", "tester", "database", "db", "_pq_.grease", "1" })
            body.AddRange(RawPgClient.CString(s));
        body.Add(0);
        await client.SendRawAsync([.. RawPgClient.BigEndian(body.Count + 4), .. body]);
        var negotiate = (await client.ReadAsync())!.Value;
        Assert.Equal('v', negotiate.Type);
        Assert.Equal(196608, BinaryPrimitives.ReadInt32BigEndian(negotiate.Body));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(negotiate.Body.AsSpan(4)));
        Assert.EndsWith("KZ", await client.ReadUntilAsync('Z'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_settings_are_applied_leniently_and_reported()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port, startup: false);
        await client.SendStartupAsync("tester", "db", "TimeZone", "No/Such_Zone", "application_name", "jdbc",
            "options", "-c extra_float_digits=3");
        var statuses = new Dictionary<string, string>();
        while (true)
        {
            var message = (await client.ReadAsync())!.Value;
            if (message.Type == 'Z')
                break;
            if (message.Type == 'S')
            {
                var parts = System.Text.Encoding.UTF8.GetString(message.Body).Split('\0');
                statuses[parts[0]] = parts[1];
            }
        }
        Assert.Equal("UTC", statuses["TimeZone"]);
        Assert.Equal("jdbc", statuses["application_name"]);
        Assert.Equal("15.0", statuses["server_version"]);
        Assert.Equal("on", statuses["integer_datetimes"]);
        await client.SendAsync('Q', RawPgClient.CString("SHOW extra_float_digits"));
        Assert.Equal('T', (await client.ReadAsync())!.Value.Type);
        var row = (await client.ReadAsync())!.Value;
        Assert.Equal('D', row.Type);
        Assert.Equal("3", System.Text.Encoding.UTF8.GetString(row.Body.AsSpan(6)));
    }

    [Fact]
    public async Task Portal_survives_syncs_inside_a_transaction_block()
    {
        // pgjdbc's fetch-size mode: BEGIN, then Execute(portal, n) + Sync repeatedly.
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await client.SendAsync('Q', RawPgClient.CString("BEGIN"));
        Assert.Equal("CZ", await client.ReadUntilAsync('Z'));
        await client.SendAsync('P', RawPgClient.CString(""), RawPgClient.CString("SELECT * FROM items"),
            RawPgClient.Int16(0));
        await client.SendAsync('B', RawPgClient.CString("C_1"), RawPgClient.CString(""), RawPgClient.Int16(0),
            RawPgClient.Int16(0), RawPgClient.Int16(0));
        await client.SendAsync('E', RawPgClient.CString("C_1"), RawPgClient.BigEndian(2));
        await client.SendAsync('S');
        Assert.Equal("12DDsZ", await client.ReadUntilAsync('Z'));
        await client.SendAsync('E', RawPgClient.CString("C_1"), RawPgClient.BigEndian(2));
        await client.SendAsync('S');
        Assert.Equal("DCZ", await client.ReadUntilAsync('Z'));
        await client.SendAsync('Q', RawPgClient.CString("COMMIT"));
        Assert.Equal("CZ", await client.ReadUntilAsync('Z'));
    }
}
