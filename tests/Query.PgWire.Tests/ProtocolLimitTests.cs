using System.Text;

namespace Query.PgWire.Tests;

/// <summary>
/// Messages that are well framed but ask for something the protocol cannot carry or the server does not do: an
/// ERROR each (the connection stays usable), never a wrong answer.
/// </summary>
public sealed class ProtocolLimitTests : IClassFixture<PgServerFixture>
{
    private readonly PgServerFixture _server;

    public ProtocolLimitTests(PgServerFixture server) => _server = server;

    private static string SqlState(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        int at = text.IndexOf("\0C", StringComparison.Ordinal);
        return text.Substring(at + 2, 5);
    }

    /// <summary>Reads until ReadyForQuery; returns the message types and the first error's SQLSTATE.</summary>
    private static async Task<(string Types, string? SqlState)> ReadReplyAsync(RawPgClient client)
    {
        var types = new StringBuilder();
        string? state = null;
        while (true)
        {
            var message = await client.ReadAsync() ?? throw new IOException($"closed after '{types}'");
            types.Append(message.Type);
            if (message.Type == 'E')
                state ??= SqlState(message.Body);
            if (message.Type == 'Z')
                return (types.ToString(), state);
        }
    }

    private static async Task AssertStillUsableAsync(RawPgClient client)
    {
        await client.SendAsync('Q', RawPgClient.CString("SELECT 1"));
        Assert.Equal(("TDCZ", null), await ReadReplyAsync(client));
    }

    private static Task ParseAsync(RawPgClient client, string sql) =>
        client.SendAsync('P', RawPgClient.CString(""), RawPgClient.CString(sql), RawPgClient.Int16(0));

    [Fact]
    public async Task A_statement_with_more_than_65535_parameters_is_refused_with_54000()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await ParseAsync(client, "SELECT $70000");
        await client.SendAsync('D', [(byte)'S'], RawPgClient.CString(""));
        await client.SendAsync('S');
        Assert.Equal(("EZ", "54000"), await ReadReplyAsync(client));
        await ParseAsync(client, "SELECT $65535");
        await client.SendAsync('S');
        Assert.Equal(("1Z", null), await ReadReplyAsync(client));
        await AssertStillUsableAsync(client);
    }

    [Fact]
    public async Task A_statement_with_more_than_65535_result_columns_is_refused_with_54000()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        string sql = "SELECT " + string.Join(", ", Enumerable.Repeat("1", 70_000));
        await client.SendAsync('Q', RawPgClient.CString(sql));
        Assert.Equal(("EZ", "54000"), await ReadReplyAsync(client));
        await AssertStillUsableAsync(client);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    [InlineData(2)]
    public async Task A_parameter_format_code_other_than_0_or_1_is_08P01(short code)
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await ParseAsync(client, "SELECT $1::int4");
        await client.SendAsync('B', RawPgClient.CString(""), RawPgClient.CString(""), RawPgClient.Int16(1),
            RawPgClient.Int16(code), RawPgClient.Int16(1), RawPgClient.BigEndian(1), [(byte)'5'],
            RawPgClient.Int16(0));
        await client.SendAsync('E', RawPgClient.CString(""), RawPgClient.BigEndian(0));
        await client.SendAsync('S');
        Assert.Equal(("1EZ", "08P01"), await ReadReplyAsync(client));
        await AssertStillUsableAsync(client);
    }

    [Fact]
    public async Task A_result_format_code_other_than_0_or_1_is_08P01()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await ParseAsync(client, "SELECT 1");
        await client.SendAsync('B', RawPgClient.CString(""), RawPgClient.CString(""), RawPgClient.Int16(0),
            RawPgClient.Int16(0), RawPgClient.Int16(1), RawPgClient.Int16(7));
        await client.SendAsync('S');
        Assert.Equal(("1EZ", "08P01"), await ReadReplyAsync(client));
        await AssertStillUsableAsync(client);
    }

    [Fact]
    public async Task A_function_call_is_answered_0A000_and_ReadyForQuery()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await client.SendAsync('F', RawPgClient.BigEndian(1598), RawPgClient.Int16(0), RawPgClient.Int16(0),
            RawPgClient.Int16(0));
        Assert.Equal(("EZ", "0A000"), await ReadReplyAsync(client));
        await AssertStillUsableAsync(client);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]   // a UTF-16 surrogate encoded as UTF-8
    [InlineData(new byte[] { 0xE2, 0x82 })]         // truncated sequence
    public async Task Invalid_utf8_in_a_simple_query_is_22021(byte[] bad)
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await client.SendAsync('Q', [.. "SELECT 'a"u8, .. bad, .. "'"u8, 0]);
        Assert.Equal(("EZ", "22021"), await ReadReplyAsync(client));
        await AssertStillUsableAsync(client);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', 0xFF, (byte)'b' })]
    [InlineData(new byte[] { (byte)'a', 0, (byte)'b' })]   // NUL is not allowed in text either
    public async Task Invalid_utf8_or_NUL_in_a_text_parameter_is_22021(byte[] value)
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await ParseAsync(client, "SELECT $1");
        await client.SendAsync('B', RawPgClient.CString(""), RawPgClient.CString(""), RawPgClient.Int16(0),
            RawPgClient.Int16(1), RawPgClient.BigEndian(value.Length), value, RawPgClient.Int16(0));
        await client.SendAsync('E', RawPgClient.CString(""), RawPgClient.BigEndian(0));
        await client.SendAsync('S');
        Assert.Equal(("12EZ", "22021"), await ReadReplyAsync(client));
        await AssertStillUsableAsync(client);
    }

    [Fact]
    public async Task Invalid_utf8_in_the_startup_packet_is_a_fatal_22021()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port, startup: false);
        byte[] body = [0, 3, 0, 0, .. "user\0"u8, 0xFF, 0xFE, 0, 0];
        await client.SendRawAsync([.. RawPgClient.BigEndian(body.Length + 4), .. body]);
        var error = await client.ReadAsync();
        Assert.Equal('E', error!.Value.Type);
        Assert.Equal("22021", SqlState(error.Value.Body));
        Assert.Contains("SFATAL", Encoding.UTF8.GetString(error.Value.Body), StringComparison.Ordinal);
        Assert.Null(await client.ReadAsync(TimeSpan.FromSeconds(5)));
    }
}
