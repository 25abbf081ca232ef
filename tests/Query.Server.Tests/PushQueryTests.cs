using Dapper;
using Npgsql;

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
        await using var cmd = new NpgsqlCommand($"SELECT n FROM {name} WHERE n > 0 EMIT CHANGES LIMIT 3", reader);
        // Npgsql's ExecuteReader returns only once the first row arrives, so the rows come from another task.
        var opening = cmd.ExecuteReaderAsync();
        await Task.Delay(300);
        var producer = Task.Run(async () =>
        {
            for (var i = 1; i <= 5; i++)
            {
                await writer.ExecuteAsync($"INSERT INTO {name} (n) VALUES ({i})");
                await Task.Delay(20);
            }
        });
        await using var rows = await opening;
        var received = new List<int>();
        while (await rows.ReadAsync())
            received.Add(rows.GetInt32(0));
        await producer;

        Assert.Equal([1, 2, 3], received);
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

        await using var cmd = new NpgsqlCommand($"SELECT n FROM {name} EMIT CHANGES", conn);
        var opening = cmd.ExecuteReaderAsync(); // waits for a first row that never comes
        await Task.Delay(300);
        cmd.Cancel();

        // Npgsql surfaces a cancel it requested as OperationCanceledException around the server's 57014.
        var ex = await Assert.ThrowsAsync<OperationCanceledException>(async () => await opening);
        Assert.Equal("57014", Assert.IsType<PostgresException>(ex.InnerException).SqlState);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT 1"));
    }
}
