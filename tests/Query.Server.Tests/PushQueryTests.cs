using Dapper;
using Npgsql;
using Query.Testing;

namespace Query.Server.Tests;

/// <summary>EMIT CHANGES streams rows to the client as they are inserted, until LIMIT or cancel.</summary>
public sealed class PushQueryTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public PushQueryTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Push_query_delivers_rows_inserted_after_it_started_then_ends_at_limit()
    {
        var name = ServerFixture.UniqueName("live");
        await using var writer = await _server.OpenConnectionAsync();
        await writer.ExecuteAsync($"CREATE STREAM {name} (n INT)");
        await writer.ExecuteAsync($"INSERT INTO {name} (n) VALUES (0)"); // history: not replayed by default

        await using var reader = await _server.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"SELECT n FROM {name} WHERE n >= 0 EMIT CHANGES LIMIT 3", reader);
        // Npgsql's ExecuteReader returns only once the first row arrives, so the rows come from another task. The
        // client cannot tell when the server has started the query (after a fixed wait, a loaded machine had not),
        // so rows keep coming until the query ends; each is preceded by one the WHERE drops.
        var opening = cmd.ExecuteReaderAsync();
        using var stop = new CancellationTokenSource(ClientTimeouts.Deadline);
        var producer = Task.Run(async () =>
        {
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                await writer.ExecuteAsync($"INSERT INTO {name} (n) VALUES ({-i}), ({i})");
                await Task.Delay(20);
            }
        });
        var received = new List<int>();
        try
        {
            await using var rows = await opening;
            while (await rows.ReadAsync())
                received.Add(rows.GetInt32(0));
        }
        finally
        {
            await stop.CancelAsync();
        }
        await producer;

        // Three rows in a row, each inserted after the query started: not the history row, none the WHERE drops.
        Assert.Equal(3, received.Count);
        Assert.True(received[0] >= 1, $"received {string.Join(", ", received)}");
        Assert.Equal(Enumerable.Range(received[0], 3), received);
    }

    [Fact]
    public async Task Earliest_offset_reset_replays_history_then_continues_live()
    {
        var name = ServerFixture.UniqueName("replay");
        await using var writer = await _server.OpenConnectionAsync();
        await writer.ExecuteAsync($"CREATE STREAM {name} (n INT)");
        await writer.ExecuteAsync($"INSERT INTO {name} (n) VALUES (1), (2)");

        await using var reader = await _server.OpenConnectionAsync();
        await reader.ExecuteAsync("SET 'auto.offset.reset' = 'earliest'");
        await using var cmd = new NpgsqlCommand($"SELECT n FROM {name} EMIT CHANGES LIMIT 4", reader);
        await using var rows = await cmd.ExecuteReaderAsync();
        var received = new List<int>();
        Assert.True(await rows.ReadAsync());
        received.Add(rows.GetInt32(0));
        await writer.ExecuteAsync($"INSERT INTO {name} (n) VALUES (3), (4)");
        while (await rows.ReadAsync())
            received.Add(rows.GetInt32(0));

        Assert.Equal([1, 2, 3, 4], received);
    }

    [Fact]
    public async Task Cancel_stops_a_push_query_with_57014_and_the_connection_stays_usable()
    {
        var name = ServerFixture.UniqueName("cancel");
        await using var conn = await _server.OpenConnectionAsync();
        await conn.ExecuteAsync($"CREATE STREAM {name} (n INT)");
        await conn.ExecuteAsync($"INSERT INTO {name} (n) VALUES (1)");

        // The query replays its one row, so once the client has read it the query is running and waits for the next:
        // a cancel sent before the server had started it (after a fixed wait, a loaded machine had not) is dropped,
        // in PostgreSQL too, and the query would run on.
        await using var cmd = new NpgsqlCommand($"SELECT n FROM {name} WHERE ROWOFFSET >= 0 EMIT CHANGES", conn);
        await using var rows = await cmd.ExecuteReaderAsync();
        Assert.True(await rows.ReadAsync());
        Assert.Equal(1, rows.GetInt32(0));
        var waiting = rows.ReadAsync();
        Assert.False(waiting.IsCompleted);
        cmd.Cancel();

        // Npgsql surfaces a cancel it requested as OperationCanceledException around the server's 57014.
        var ex = await Assert.ThrowsAsync<OperationCanceledException>(async () => await waiting);
        Assert.Equal("57014", Assert.IsType<PostgresException>(ex.InnerException).SqlState);
        await rows.DisposeAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
    }
}
