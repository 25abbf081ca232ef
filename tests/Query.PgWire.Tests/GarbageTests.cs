using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Query.PgWire.Tests;

/// <summary>
/// Hostile input on fresh connections: the server answers with an error or closes that connection, never
/// allocates what a length field claims, and keeps serving everyone else.
/// </summary>
public sealed class GarbageTests : IClassFixture<PgServerFixture>
{
    private readonly PgServerFixture _server;

    public GarbageTests(PgServerFixture server) => _server = server;

    /// <summary>Sends bytes, half-closes, and collects the reply until the server closes (or 5 s pass).</summary>
    private async Task<byte[]> SendAndDrainAsync(byte[] bytes, bool startup)
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port, startup);
        try
        {
            await client.SendRawAsync(bytes);
            client.Stream.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (IOException)
        {
            // The server may close before we finish sending garbage; that is a valid answer.
        }
        var reply = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            int n;
            while ((n = await client.Stream.ReadAsync(buffer, timeout.Token)) > 0)
                reply.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // Connection reset: closed, which is what we wait for.
        }
        Assert.False(timeout.IsCancellationRequested, "server neither answered nor closed the connection");
        return reply.ToArray();
    }

    private async Task AssertServerStillWorksAsync()
    {
        await using var conn = await _server.OpenAsync(";Pooling=false");
        await using var cmd = new NpgsqlCommand("SELECT 1", conn);
        Assert.Equal(1, await cmd.ExecuteScalarAsync());
    }

    private static string SqlState(byte[] reply)
    {
        var text = Encoding.UTF8.GetString(reply);
        int at = text.IndexOf("\0C", StringComparison.Ordinal);
        return at < 0 ? "" : text.Substring(at + 2, 5);
    }

    [Fact]
    public async Task Random_bytes_on_fresh_connections_never_hurt_the_server()
    {
        var random = new Random(20261124);
        for (int i = 0; i < 150; i++)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            bool startup = i % 2 == 1;   // half of the runs garble an established session instead
            await SendAndDrainAsync(bytes, startup);
        }
        await AssertServerStillWorksAsync();
    }

    [Fact]
    public async Task Oversized_message_is_refused_before_its_body_arrives()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        // Claims 1.5 GB; only the 5-byte header is sent. The error must come without waiting for (or allocating) the
        // body.
        await client.SendRawAsync([(byte)'Q', 0x60, 0, 0, 0]);
        var error = await client.ReadAsync(TimeSpan.FromSeconds(5));
        Assert.Equal('E', error!.Value.Type);
        Assert.Equal("54000", SqlState(error.Value.Body));
        Assert.Null(await client.ReadAsync(TimeSpan.FromSeconds(5)));
        await AssertServerStillWorksAsync();
    }

    [Fact]
    public async Task Oversized_startup_packet_is_a_protocol_violation()
    {
        var reply = await SendAndDrainAsync([0x7F, 0xFF, 0xFF, 0xFF, 0, 3, 0, 0], startup: false);
        Assert.Equal("08P01", SqlState(reply));
        await AssertServerStillWorksAsync();
    }

    [Theory]
    [InlineData(new byte[] { (byte)'Q', 0, 0, 0, 100, (byte)'S', (byte)'E' }, "")]   // truncated body, then EOF
    [InlineData(new byte[] { (byte)'Q', 0, 0, 0, 2 }, "08P01")]                      // length below 4
    [InlineData(new byte[] { (byte)'z', 0, 0, 0, 4 }, "08P01")]                      // unknown message type
    [InlineData(new byte[] { (byte)'Q', 0, 0, 0, 7, (byte)'a', (byte)'b', (byte)'c' }, "08P01")]   // no NUL terminator
    [InlineData(new byte[] { (byte)'P', 0, 0, 0, 16, 0, (byte)'S', (byte)'E', (byte)'L', (byte)'E', (byte)'C',
        (byte)'T',
        (byte)' ', (byte)'1', 0, 0, 0, (byte)'B', 0, 0, 0, 8, 0, 0, 0, 5 }, "08P01")]   // Bind shorter than its fields
    public async Task Malformed_messages_close_only_that_connection(byte[] message, string expectedState)
    {
        var reply = await SendAndDrainAsync(message, startup: true);
        if (expectedState.Length > 0)
            Assert.Equal(expectedState, SqlState(reply));
        await AssertServerStillWorksAsync();
    }

    [Fact]
    public async Task Bind_of_an_unknown_statement_is_an_error_and_sync_recovers()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await client.SendAsync('B', RawPgClient.CString(""), RawPgClient.CString("nope"), RawPgClient.Int16(0),
            RawPgClient.Int16(0), RawPgClient.Int16(0));
        await client.SendAsync('E', RawPgClient.CString(""), RawPgClient.BigEndian(0));   // skipped until Sync
        await client.SendAsync('S');
        Assert.Equal("EZ", await client.ReadUntilAsync('Z'));
        await client.SendAsync('Q', RawPgClient.CString("SELECT 1"));
        Assert.Equal("TDCZ", await client.ReadUntilAsync('Z'));
    }

    [Fact]
    public async Task Ssl_request_is_refused_with_N_and_startup_continues()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port, startup: false);
        await client.SendRawAsync([0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F]);
        var answer = new byte[1];
        Assert.Equal(1, await client.Stream.ReadAsync(answer));
        Assert.Equal((byte)'N', answer[0]);
        await client.SendStartupAsync("tester", "db");
        Assert.EndsWith("KZ", await client.ReadUntilAsync('Z'), StringComparison.Ordinal);
        await client.SendAsync('Q', RawPgClient.CString(" ; "));
        Assert.Equal("IZ", await client.ReadUntilAsync('Z'));
    }
}
