using Query.Testing;

namespace Query.Server.Tests;

/// <summary>
/// node-postgres (npm pg, pinned in Clients/node/package.json) against the real server. Node comes from Debian
/// (.ci/run installs it); the package is installed from its lock file on first use.
/// </summary>
public sealed class NodePostgresTests : IClassFixture<ServerFixture>
{
    internal static readonly string ClientDirectory =
        Path.Combine(RepositoryRoot.Path, "tests", "Query.Server.Tests", "Clients", "node");

    private readonly ServerFixture _server;

    public NodePostgresTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Node_postgres_connects_binds_parameters_sees_errors_and_streams_a_push_query()
    {
        await InstallAsync();
        var (code, output, error) = await ExternalClient.RunAsync("node",
            [Path.Combine(ClientDirectory, "node_client.js"), _server.Port.ToString(), ServerFixture.UniqueName("js")]);
        Assert.True(code == 0, output + error);
        Assert.Contains("ok", output, StringComparison.Ordinal);
    }

    private static readonly Lazy<Task> Install = new(InstallOnceAsync);

    /// <summary>
    /// Installs the pinned packages (pg, postgres) from the lock file unless they are there, once per test run:
    /// test classes run in parallel, and a second <c>npm ci</c> deletes node_modules under a client already running.
    /// </summary>
    internal static Task InstallAsync() => Install.Value;

    private static async Task InstallOnceAsync()
    {
        if (Directory.Exists(Path.Combine(ClientDirectory, "node_modules", "pg"))
            && Directory.Exists(Path.Combine(ClientDirectory, "node_modules", "postgres")))
            return;
        var (code, output, error) = await ExternalClient.RunAsync("npm",
            ["ci", "--prefix", ClientDirectory, "--no-audit", "--no-fund", "--loglevel=error"],
            timeout: TimeSpan.FromMinutes(3));
        Assert.True(code == 0, "npm ci failed: " + output + error);
    }
}
