using Dapper;
using Npgsql;
using Query.Testing;

namespace Query.Server.Tests;

/// <summary>The real executable: flags, the "listening on" line, clean SIGTERM shutdown, data after restart.</summary>
public sealed class ServerProcessTests
{
    private static readonly TimeSpan StartTimeout = ClientTimeouts.Deadline;

    [Fact]
    public async Task Server_prints_its_port_shuts_down_on_sigterm_and_keeps_data_across_restart()
    {
        using var data = new TempDirectory("query-proc");
        var port = await StartInsertAndStopAsync(data.Path);

        using var second = ChildProcess.Start("Query.Server", "--data-dir", data.Path, "--port", "0");
        var line = await second.WaitForLineAsync("listening on ", StartTimeout);
        await using (var conn = new NpgsqlConnection(ConnectionString(ParsePort(line))))
        {
            await conn.OpenAsync();
            Assert.Equal(3L, await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM kept"));
        }
        second.Terminate();
        await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(port > 0);
    }

    [Fact]
    public async Task Shutdown_ends_a_running_push_query_with_57P01()
    {
        using var data = new TempDirectory("query-proc");
        using var server = ChildProcess.Start("Query.Server", "--data-dir", data.Path, "--port", "0");
        var port = ParsePort(await server.WaitForLineAsync("listening on ", StartTimeout));
        await using var conn = new NpgsqlConnection(ConnectionString(port));
        await conn.OpenAsync();
        await conn.ExecuteAsync("CREATE STREAM ticks (n INT)");
        await using var cmd = new NpgsqlCommand("SELECT n FROM ticks EMIT CHANGES", conn);
        var read = cmd.ExecuteReaderAsync(); // waits for a first row that never comes
        await Task.Delay(300);

        server.Terminate();

        var ex = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await read);
        if (ex is PostgresException pg)
            Assert.Equal("57P01", pg.SqlState);
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, server.ExitCode);
    }

    private static async Task<int> StartInsertAndStopAsync(string dataDirectory)
    {
        using var first = ChildProcess.Start("Query.Server", "--data-dir", dataDirectory, "--port", "0");
        var port = ParsePort(await first.WaitForLineAsync("listening on ", StartTimeout));
        await using (var conn = new NpgsqlConnection(ConnectionString(port)))
        {
            await conn.OpenAsync();
            await conn.ExecuteAsync("CREATE STREAM kept (n INT)");
            await conn.ExecuteAsync("INSERT INTO kept (n) VALUES (1), (2), (3)");
        }
        NpgsqlConnection.ClearAllPools();
        first.Terminate();
        await first.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, first.ExitCode);
        return port;
    }

    private static int ParsePort(string line) => int.Parse(line[(line.LastIndexOf(':') + 1)..].Trim());

    private static string ConnectionString(int port) =>
        $"Host=127.0.0.1;Port={port};Username=query;Database=query;Pooling=false;{ClientTimeouts.Npgsql}";
}
