using System.Text;
using Npgsql;
using Query.Testing;

namespace Query.PgWire.Tests;

/// <summary>
/// What a client that has not logged in can cost the server: small messages only, a deadline, a bounded number of
/// such sockets, and slots kept for an administrator.
/// </summary>
public sealed class BeforeAuthenticationTests : IClassFixture<ScramServerFixture>
{
    private const int AnnouncedBytes = 60 * 1024 * 1024;
    private readonly ScramServerFixture _server;

    public BeforeAuthenticationTests(ScramServerFixture server) => _server = server;

    /// <summary>Starts up as alice and reads the SASL request, so the next message is a password message.</summary>
    private async Task<RawPgClient> AwaitPasswordRequestAsync()
    {
        var client = await RawPgClient.ConnectAsync(_server.Port, startup: false);
        await client.SendStartupAsync("alice", "db");
        var request = await client.ReadAsync();
        Assert.Equal('R', request!.Value.Type);
        return client;
    }

    [Fact]
    public async Task A_password_message_larger_than_the_limit_closes_the_connection_before_its_body_arrives()
    {
        await using var client = await AwaitPasswordRequestAsync();
        await client.SendRawAsync([(byte)'p', .. RawPgClient.BigEndian(AnnouncedBytes)]);
        var reply = await client.ReadAsync(TimeSpan.FromSeconds(5));
        Assert.Equal('E', reply!.Value.Type);
        Assert.Contains("C08P01", Encoding.UTF8.GetString(reply.Value.Body), StringComparison.Ordinal);
        Assert.Null(await client.ReadAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Sixteen_clients_announcing_60_MB_passwords_do_not_grow_the_servers_memory()
    {
        var chunk = new byte[1024 * 1024];
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clients = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => AwaitPasswordRequestAsync()));
        var sent = await Task.WhenAll(clients.Select(client => SendAllButTheLastByteAsync(client, chunk)));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        foreach (var client in clients)
            await client.DisposeAsync();

        // Without the limit each server connection buffers the whole 60 MB (about 1 GB for the 16).
        Assert.All(sent, bytes => Assert.True(bytes < AnnouncedBytes - 1, $"the server read {bytes} bytes"));
        Assert.True(allocated < 200L * 1024 * 1024, $"{allocated / 1024 / 1024} MB allocated");
    }

    /// <summary>Sends a 60 MB password message but its last byte; returns how much went out before the server
    /// closed the connection.</summary>
    private static async Task<long> SendAllButTheLastByteAsync(RawPgClient client, byte[] chunk)
    {
        long sent = 0;
        try
        {
            await client.SendRawAsync([(byte)'p', .. RawPgClient.BigEndian(AnnouncedBytes)]);
            while (sent < AnnouncedBytes - 5)
            {
                int length = (int)Math.Min(chunk.Length, AnnouncedBytes - 5 - sent);
                await client.Stream.WriteAsync(chunk.AsMemory(0, length));
                sent += length;
            }
        }
        catch (IOException)
        {
            // Closed by the server, as it should be.
        }
        return sent;
    }
}

public sealed class LimitsServerFixture : PgServerFixture
{
    protected override void Configure(PgServerOptions options)
    {
        options.AuthenticationTimeout = TimeSpan.FromSeconds(1);
        options.MaxUnauthenticatedConnections = 4;
        options.MaxConnections = 3;
        options.ReservedConnections = 1;
        options.AdminUsers = new HashSet<string> { "admin" };
    }
}

public sealed class ConnectionLimitTests : IClassFixture<LimitsServerFixture>
{
    private readonly LimitsServerFixture _server;

    public ConnectionLimitTests(LimitsServerFixture server) => _server = server;

    private string ConnectionString(string user) =>
        $"Host=127.0.0.1;Port={_server.Port};Username={user};Database=db;Pooling=false;{PgServerFixture.NoTypeLoading};"
        + ClientTimeouts.Npgsql;

    private static async Task<bool> IsClosedWithinAsync(RawPgClient client, TimeSpan timeout)
    {
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await client.Stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WaitForUnauthenticatedAsync(int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (_server.Server.UnauthenticatedCount != count && clock.Elapsed.TotalSeconds < ClientTimeouts.Seconds)
            await Task.Delay(10);
        Assert.Equal(count, _server.Server.UnauthenticatedCount);
    }

    [Fact]
    public async Task Silent_and_half_started_sockets_are_closed_after_the_authentication_timeout()
    {
        await using var silent = await RawPgClient.ConnectAsync(_server.Port, startup: false);
        await using var half = await RawPgClient.ConnectAsync(_server.Port, startup: false);
        await half.SendRawAsync([0, 0, 0, 40, 0, 3, 0, 0, (byte)'u']);
        var started = System.Diagnostics.Stopwatch.StartNew();
        // The timeout is 1 s (the default 60 s): 30 s tells the two apart and allows for a loaded machine.
        Assert.True(await IsClosedWithinAsync(silent, TimeSpan.FromSeconds(30)), "a silent socket stayed open");
        Assert.True(await IsClosedWithinAsync(half, TimeSpan.FromSeconds(30)), "a half startup stayed open");
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        await WaitForUnauthenticatedAsync(0);
    }

    [Fact]
    public async Task Unauthenticated_sockets_beyond_the_limit_are_refused_with_53300()
    {
        var silent = new List<RawPgClient>();
        for (int i = 0; i < 4; i++)
            silent.Add(await RawPgClient.ConnectAsync(_server.Port, startup: false));
        await WaitForUnauthenticatedAsync(4);
        await using (var refused = await RawPgClient.ConnectAsync(_server.Port, startup: false))
        {
            var error = await refused.ReadAsync(TimeSpan.FromSeconds(5));
            Assert.Equal('E', error!.Value.Type);
            Assert.Contains("C53300", Encoding.UTF8.GetString(error.Value.Body), StringComparison.Ordinal);
        }
        foreach (var client in silent)
            await client.DisposeAsync();
        await WaitForUnauthenticatedAsync(0);
        await using var conn = new NpgsqlConnection(ConnectionString("tester"));
        await conn.OpenAsync();
    }

    [Fact]
    public async Task Reserved_slots_let_an_administrator_in_when_ordinary_users_hold_the_rest()
    {
        await using var first = new NpgsqlConnection(ConnectionString("tester"));
        await using var second = new NpgsqlConnection(ConnectionString("tester"));
        await first.OpenAsync();
        await second.OpenAsync();
        await using var third = new NpgsqlConnection(ConnectionString("tester"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => third.OpenAsync());
        Assert.Equal("53300", refused.SqlState);
        Assert.Contains("reserved", refused.MessageText, StringComparison.Ordinal);

        await using var admin = new NpgsqlConnection(ConnectionString("admin"));
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1", admin);
        Assert.Equal(1, await cmd.ExecuteScalarAsync());
        await using var secondAdmin = new NpgsqlConnection(ConnectionString("admin"));
        Assert.Equal("53300", (await Assert.ThrowsAsync<PostgresException>(() => secondAdmin.OpenAsync())).SqlState);
    }
}
