namespace Query.Server.Tests;

/// <summary>psycopg2 (Debian python3-psycopg2; .ci/run installs it) against the real server.</summary>
public sealed class Psycopg2Tests : IClassFixture<ServerFixture>
{
    private const string Python = "/usr/bin/python3";
    private readonly ServerFixture _server;

    public Psycopg2Tests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Psycopg2_connects_queries_binds_parameters_and_sees_errors()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "psycopg2_client.py");
        var (code, output, error) = await ExternalClient.RunAsync(Python,
            [script, _server.Port.ToString(), ServerFixture.UniqueName("py")]);
        Assert.True(code == 0, output + error);
        Assert.Contains("ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Psycopg3_type_info_pg_catalog_and_information_schema_answer_from_the_real_catalog()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "psycopg3_catalog_client.py");
        var (code, output, error) = await ExternalClient.RunAsync(Python,
            [script, _server.Port.ToString(), ServerFixture.UniqueName("cat")]);
        Assert.True(code == 0, output + error);
        Assert.Contains("ok", output, StringComparison.Ordinal);
    }
}
