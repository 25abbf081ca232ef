using Npgsql;

namespace Query.PgWire.Tests;

public sealed class OneConnectionThreadFixture : PgServerFixture
{
    protected override void Configure(PgServerOptions options) => options.ConnectionThreads = 1;
}

/// <summary>Connections on a thread of their own (blocking receive) and beyond the limit on the thread pool.</summary>
public sealed class ConnectionThreadTests : IClassFixture<OneConnectionThreadFixture>
{
    private readonly OneConnectionThreadFixture _server;

    public ConnectionThreadTests(OneConnectionThreadFixture server) => _server = server;

    [Fact]
    public async Task Connections_beyond_the_thread_limit_share_the_pool_and_all_answer()
    {
        await WaitForThreadsInUseAsync(0);
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 3; i++)
                connections.Add(await _server.OpenAsync(";Pooling=false"));
            Assert.Equal(1, _server.Server.ConnectionThreadsInUse);
            // Interleaved round trips on the threaded connection and the pooled ones, simple and extended protocol.
            for (var round = 0; round < 50; round++)
            {
                foreach (var connection in connections)
                {
                    await using var simple = new NpgsqlCommand("SELECT 1", connection);
                    Assert.Equal(1, await simple.ExecuteScalarAsync());
                    await using var extended = new NpgsqlCommand("SELECT 1", connection);
                    await extended.PrepareAsync();
                    Assert.Equal(1, await extended.ExecuteScalarAsync());
                }
            }
        }
        finally
        {
            foreach (var connection in connections)
                await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_closed_connection_gives_its_thread_back()
    {
        await WaitForThreadsInUseAsync(0);
        await using (var first = await _server.OpenAsync(";Pooling=false"))
        {
            await using var command = new NpgsqlCommand("SELECT 1", first);
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }
        await WaitForThreadsInUseAsync(0);
        await using var second = await _server.OpenAsync(";Pooling=false");
        Assert.Equal(1, _server.Server.ConnectionThreadsInUse);
    }

    private async Task WaitForThreadsInUseAsync(int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_server.Server.ConnectionThreadsInUse != expected && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Equal(expected, _server.Server.ConnectionThreadsInUse);
    }
}
