using Npgsql;
using Query.Testing;

namespace Query.Server.Tests;

/// <summary>A real server (engine + wire listener) on port 0 over a temp data directory, shared by a test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("query-server");
    private QueryServer? _server;

    public QueryServer Server => _server ?? throw new InvalidOperationException("not started");

    public int Port => Server.EndPoint.Port;

    public string DataDirectory => _directory.Path;

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=query;Database=query;{ClientTimeouts.Npgsql}";

    public async Task InitializeAsync() =>
        _server = await QueryServer.StartAsync(new ServerSettings { DataDirectory = _directory.Path, Port = 0 });

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        _directory.Dispose();
    }

    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A stream name no other test in the class uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
