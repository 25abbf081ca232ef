using Microsoft.Extensions.Configuration;
using Npgsql;
using Query.Testing;

namespace Query.Server.Tests;

/// <summary>Settings that guard the server: trust only on loopback unless asked, user names as written.</summary>
public sealed class ServerSettingsTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public async Task Trust_on_a_network_address_is_refused_without_the_explicit_switch(string host)
    {
        using var data = new TempDirectory("query-trust");
        var settings = new ServerSettings { DataDirectory = data.Path, Host = host, Port = 0 };
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => QueryServer.StartAsync(settings));
        Assert.Contains("--allow-trust-on-network", refused.Message, StringComparison.Ordinal);

        settings.AllowTrustOnNetwork = true;
        await using var server = await QueryServer.StartAsync(settings);
        Assert.True(server.EndPoint.Port > 0);
    }

    [Fact]
    public async Task Password_authentication_on_a_network_address_needs_no_switch()
    {
        using var data = new TempDirectory("query-trust");
        var settings = new ServerSettings { DataDirectory = data.Path, Host = "0.0.0.0", Port = 0, Auth = "scram-sha-256" };
        await using var server = await QueryServer.StartAsync(settings);
        Assert.True(server.EndPoint.Port > 0);
    }

    [Fact]
    public void The_allow_switch_works_alone_and_before_other_flags()
    {
        var settings = Bind(new ConfigurationBuilder().AddCommandLine(
            ServerSettings.ExpandSwitches(["--allow-trust-on-network", "--port", "7"]), ServerSettings.CommandLineFlags));
        Assert.True(settings.AllowTrustOnNetwork);
        Assert.Equal(7, settings.Port);
        Assert.False(Bind(new ConfigurationBuilder().AddCommandLine(["--port", "7"],
            ServerSettings.CommandLineFlags)).AllowTrustOnNetwork);
    }

    [Fact]
    public async Task The_server_process_says_why_it_refuses_trust_on_a_network_address()
    {
        using var data = new TempDirectory("query-trust");
        using var server = ChildProcess.Start("Query.Server", "--data-dir", data.Path, "--port", "0", "--host",
            "0.0.0.0");
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, server.ExitCode);
        Assert.Contains(server.StandardError, line => line.Contains("--allow-trust-on-network", StringComparison.Ordinal));
    }

    [Fact]
    public async Task User_names_from_the_environment_keep_the_case_they_are_written_in()
    {
        string lower = "alice_" + Guid.NewGuid().ToString("N")[..6], upper = "BOB_" + Guid.NewGuid().ToString("N")[..6];
        Environment.SetEnvironmentVariable($"QUERY_USERS__{lower}", "pw1");
        Environment.SetEnvironmentVariable($"QUERY_USERS__{upper}", "pw2");
        try
        {
            var settings = Bind(new ConfigurationBuilder().AddEnvironmentVariables("QUERY_"));
            Assert.Equal("pw1", settings.Users[lower]);
            Assert.Equal("pw2", settings.Users[upper]);
            Assert.False(settings.Users.ContainsKey(lower.ToUpperInvariant()));

            using var data = new TempDirectory("query-users");
            settings.DataDirectory = data.Path;
            settings.Port = 0;
            settings.Auth = "scram-sha-256";
            await using var server = await QueryServer.StartAsync(settings);
            await using (var conn = new NpgsqlConnection(ConnectionString(server, lower, "pw1")))
                await conn.OpenAsync();
            await using var wrongCase = new NpgsqlConnection(ConnectionString(server, lower.ToUpperInvariant(), "pw1"));
            Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => wrongCase.OpenAsync())).SqlState);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"QUERY_USERS__{lower}", null);
            Environment.SetEnvironmentVariable($"QUERY_USERS__{upper}", null);
        }
    }

    private static string ConnectionString(QueryServer server, string user, string password) =>
        $"Host=127.0.0.1;Port={server.EndPoint.Port};Username={user};Password={password};Database=query;Pooling=false";

    private static ServerSettings Bind(IConfigurationBuilder builder)
    {
        var settings = new ServerSettings();
        builder.Build().Bind(settings);
        return settings;
    }
}
