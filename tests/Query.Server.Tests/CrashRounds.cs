using Npgsql;
using Query.Testing;
using static Query.Testing.CrashServer;

namespace Query.Server.Tests;

/// <summary>
/// The kill loop of the persistent-query crash tests: each round starts the real server over one data directory,
/// lets its clients write until 200 more rows are acknowledged, then SIGKILLs it at a random moment.
/// </summary>
internal static class CrashRounds
{
    /// <summary>
    /// Runs <paramref name="rounds"/> rounds: starts Query.Server over <paramref name="dataDirectory"/> (with
    /// <paramref name="serverFlags"/>), runs <paramref name="createAsync"/> (given the port) in the first round,
    /// starts <paramref name="startClients"/> (given the port and the round; each ends quietly when the server is
    /// killed under it), waits (<see cref="ClientTimeouts.Deadline"/> at the most, else the round fails) until
    /// <paramref name="acknowledged"/> says 200 more rows were acknowledged, waits a random 0-1.5 s and kills the
    /// server; at the end clears Npgsql's pools.
    /// </summary>
    public static async Task RunAsync(string dataDirectory, int rounds, Random random, Func<int> acknowledged,
        Func<int, Task> createAsync, Func<int, int, IEnumerable<Task>> startClients, params string[] serverFlags)
    {
        for (var round = 0; round < rounds; round++)
        {
            using var server = StartServer(dataDirectory, serverFlags);
            var port = ParsePort(await server.WaitForLineAsync("listening on ", ClientTimeouts.Deadline));
            if (round == 0)
                await createAsync(port);
            var before = acknowledged();
            var clients = startClients(port, round).ToArray();
            var deadline = DateTime.UtcNow + ClientTimeouts.Deadline;
            while (acknowledged() < before + 200)
            {
                Assert.True(DateTime.UtcNow < deadline,
                    $"round {round}: fewer than 200 rows acknowledged in {ClientTimeouts.Seconds} s");
                await Task.Delay(10);
            }
            await Task.Delay(random.Next(0, 1_500));
            server.Kill();
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60));
        }
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts Query.Server over <paramref name="dataDirectory"/> on a port of its choosing.</summary>
    public static ChildProcess StartServer(string dataDirectory, params string[] flags) =>
        ChildProcess.Start("Query.Server", ["--data-dir", dataDirectory, "--port", "0", .. flags]);
}
