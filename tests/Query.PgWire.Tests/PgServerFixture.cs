using Npgsql;
using Query.PgWire.Tests.Fakes;
using Query.Testing;

namespace Query.PgWire.Tests;

/// <summary>A real <see cref="PgServer"/> on a free loopback port over a fake session.</summary>
public class PgServerFixture : IAsyncLifetime
{
    public FakeDatabase Database { get; } = new();
    public PgServer Server { get; private set; } = null!;
    public FakeSessionFactory Factory { get; private set; } = null!;
    public int Port => Server.EndPoint!.Port;

    protected virtual void Configure(PgServerOptions options)
    {
    }

    /// <summary>
    /// Npgsql's type loading is off: it reads pg_type, which the engine's system catalog answers, and the fake
    /// session has none (the real server's tests load types as every Npgsql user does). Without the loaded types
    /// Npgsql resets a pooled connection with a batch the fake session cannot run, so that reset is off too.
    /// </summary>
    public string ConnectionString(string extra = "") =>
        $"Host=127.0.0.1;Port={Port};Username=tester;Database=db;{ClientTimeouts.Npgsql};{NoTypeLoading};"
        + $"No Reset On Close=true{extra}";

    public const string NoTypeLoading = "Server Compatibility Mode=NoTypeLoading";

    public NpgsqlDataSource CreateDataSource(string extra = "") => NpgsqlDataSource.Create(ConnectionString(extra));

    public async Task<NpgsqlConnection> OpenAsync(string extra = "")
    {
        var connection = new NpgsqlConnection(ConnectionString(extra));
        await connection.OpenAsync();
        return connection;
    }

    public async Task InitializeAsync()
    {
        var options = new PgServerOptions { Port = 0, MaxMessageBytes = 1024 * 1024 };
        Configure(options);
        Factory = new FakeSessionFactory(Database);
        Server = new PgServer(options, Factory);
        await Server.StartAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
