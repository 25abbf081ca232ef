using Dapper;
using Query.Testing;

namespace Query.Server.Tests;

/// <summary>
/// The other ways clients consume a push query: DECLARE + FETCH n (psql FETCH_COUNT, psycopg2 named cursors),
/// COPY (push query) TO STDOUT (psql on a terminal), and psql's FETCH_COUNT itself.
/// </summary>
public sealed class PushQueryShapesTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public PushQueryShapesTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Fetch_from_a_push_cursor_waits_for_rows_inserted_later()
    {
        var name = ServerFixture.UniqueName("cursor");
        await using var writer = await _server.OpenConnectionAsync();
        await writer.ExecuteAsync($"CREATE STREAM {name} (n INT)");
        await writer.ExecuteAsync($"INSERT INTO {name} (n) VALUES (1)");

        await using var conn = await _server.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync($"DECLARE c CURSOR FOR SELECT n FROM {name} WHERE ROWOFFSET >= 0 EMIT CHANGES", transaction: tx);
        Assert.Equal([1], (await conn.QueryAsync<int>("FETCH 1 FROM c", transaction: tx)).ToList());

        var fetching = conn.QueryAsync<int>("FETCH 2 FROM c", transaction: tx);
        await Task.Delay(200);
        Assert.False(fetching.IsCompleted);
        await writer.ExecuteAsync($"INSERT INTO {name} (n) VALUES (2), (3)");

        Assert.Equal([2, 3], (await fetching.WaitAsync(ClientTimeouts.Deadline)).ToList());
        await conn.ExecuteAsync("CLOSE c", transaction: tx);
        await tx.CommitAsync();
    }

    [Fact]
    public async Task Copy_of_a_push_query_to_stdout_streams_until_its_limit()
    {
        var name = ServerFixture.UniqueName("copyout");
        await using var writer = await _server.OpenConnectionAsync();
        await writer.ExecuteAsync($"CREATE STREAM {name} (n INT, s STRING)");
        await writer.ExecuteAsync($"INSERT INTO {name} (n, s) VALUES (1, 'a')");

        await using var conn = await _server.OpenConnectionAsync();
        var export = Task.Run(async () =>
        {
            using var reader = await conn.BeginTextExportAsync(
                $"COPY (SELECT n, s FROM {name} WHERE ROWOFFSET >= 0 EMIT CHANGES LIMIT 3) TO STDOUT");
            return await reader.ReadToEndAsync();
        });
        await Task.Delay(300);
        await writer.ExecuteAsync($"INSERT INTO {name} (n, s) VALUES (2, 'b'), (3, 'c')");

        Assert.Equal("1\ta\n2\tb\n3\tc\n", await export.WaitAsync(ClientTimeouts.Deadline));
    }

    [Fact]
    public async Task Psql_fetch_count_reads_a_push_query_in_batches()
    {
        var name = ServerFixture.UniqueName("fcount");
        await using var writer = await _server.OpenConnectionAsync();
        await writer.ExecuteAsync($"CREATE STREAM {name} (n INT)");
        await writer.ExecuteAsync($"INSERT INTO {name} (n) VALUES (1), (2), (3), (4), (5)");

        var (code, output, error) = await ExternalClient.RunAsync("psql",
        [
            "-h", "127.0.0.1", "-p", _server.Port.ToString(), "-U", "query", "-d", "query", "-X", "-A", "-t",
            "-v", "ON_ERROR_STOP=1", "-v", "FETCH_COUNT=2",
            "-c", $"SELECT n FROM {name} WHERE ROWOFFSET >= 0 EMIT CHANGES LIMIT 5",
        ]);

        Assert.True(code == 0, error);
        Assert.Equal("1\n2\n3\n4\n5", output.Trim());
    }
}
