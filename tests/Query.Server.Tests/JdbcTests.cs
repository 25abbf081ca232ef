namespace Query.Server.Tests;

/// <summary>pgjdbc (Debian libpostgresql-jdbc-java; .ci/run installs it) against the real server.</summary>
public sealed class JdbcTests : IClassFixture<ServerFixture>
{
    private const string Driver = "/usr/share/java/postgresql.jar";
    private readonly ServerFixture _server;

    public JdbcTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Pgjdbc_connects_binds_parameters_sees_errors_and_streams_with_a_fetch_size()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Clients", "JdbcClient.java");
        var (code, output, error) = await ExternalClient.RunAsync("java",
            ["-cp", Driver, source, _server.Port.ToString(), ServerFixture.UniqueName("jdbc")],
            timeout: TimeSpan.FromSeconds(120));
        Assert.True(code == 0, output + error);
        Assert.Contains("ok", output, StringComparison.Ordinal);
    }
}
