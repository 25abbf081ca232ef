using Npgsql;
using Query.PgWire.Tests.Fakes;

namespace Query.PgWire.Tests;

public sealed class ScramServerFixture : PgServerFixture
{
    protected override void Configure(PgServerOptions options)
    {
        options.AuthMode = PgAuthMode.ScramSha256;
        options.Users = new Dictionary<string, string> { ["alice"] = "s3cret" };
    }
}

public sealed class AuthTests : IClassFixture<ScramServerFixture>
{
    private readonly ScramServerFixture _server;

    public AuthTests(ScramServerFixture server) => _server = server;

    private string ConnectionString(string user, string password) =>
        $"Host=127.0.0.1;Port={_server.Port};Username={user};Password={password};Database=db;Pooling=false;{PgServerFixture.NoTypeLoading}";

    [Fact]
    public async Task Scram_with_the_right_password_connects()
    {
        await using var conn = new NpgsqlConnection(ConnectionString("alice", "s3cret"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1", conn);
        Assert.Equal(1, await cmd.ExecuteScalarAsync());
        Assert.Equal("alice", _server.Factory.LastContext!.User);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("mallory", "s3cret")]
    public async Task Wrong_password_or_user_is_28P01(string user, string password)
    {
        await using var conn = new NpgsqlConnection(ConnectionString(user, password));
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.OpenAsync());
        Assert.Equal("28P01", ex.SqlState);
    }
}

public sealed class CleartextServerFixture : PgServerFixture
{
    protected override void Configure(PgServerOptions options)
    {
        options.AuthMode = PgAuthMode.Cleartext;
        options.Users = new Dictionary<string, string> { ["bob"] = "pw" };
        options.MaxConnections = 2;
    }
}

public sealed class CleartextAndLimitTests : IClassFixture<CleartextServerFixture>
{
    private readonly CleartextServerFixture _server;

    public CleartextAndLimitTests(CleartextServerFixture server) => _server = server;

    private string ConnectionString(string password) =>
        $"Host=127.0.0.1;Port={_server.Port};Username=bob;Password={password};Database=db;Pooling=false;{PgServerFixture.NoTypeLoading}";

    [Fact]
    public async Task Cleartext_password_is_checked()
    {
        await using (var ok = new NpgsqlConnection(ConnectionString("pw")))
            await ok.OpenAsync();
        await using var bad = new NpgsqlConnection(ConnectionString("nope"));
        var ex = await Assert.ThrowsAsync<PostgresException>(() => bad.OpenAsync());
        Assert.Equal("28P01", ex.SqlState);
    }

    [Fact]
    public async Task Connections_beyond_the_limit_get_53300_and_others_keep_working()
    {
        await using var first = new NpgsqlConnection(ConnectionString("pw"));
        await using var second = new NpgsqlConnection(ConnectionString("pw"));
        await first.OpenAsync();
        await second.OpenAsync();
        await using var third = new NpgsqlConnection(ConnectionString("pw"));
        var ex = await Assert.ThrowsAsync<PostgresException>(() => third.OpenAsync());
        Assert.Equal("53300", ex.SqlState);
        await using var cmd = new NpgsqlCommand("SELECT 3", first);
        Assert.Equal(3, await cmd.ExecuteScalarAsync());
    }
}

public sealed class LifecycleTests
{
    [Fact]
    public async Task Stop_ends_a_running_push_query_with_57P01()
    {
        var database = new FakeDatabase();
        var server = new PgServer(new PgServerOptions { Port = 0 }, new FakeSessionFactory(database));
        await server.StartAsync();
        var cs = $"Host=127.0.0.1;Port={server.EndPoint!.Port};Username=u;Database=db;Pooling=false;{PgServerFixture.NoTypeLoading};Command Timeout=0";
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT * FROM ticks EMIT CHANGES", conn);
        var reading = Task.Run(async () =>
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        });
        await database.WaitForSubscribersAsync(1);
        await server.StopAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => reading);
        Assert.Equal("57P01", ex.SqlState);
        Assert.Equal(0, database.SubscriberCount);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Unknown_database_from_the_session_factory_is_fatal_3D000()
    {
        await using var server = new PgServer(new PgServerOptions { Port = 0 },
            new FakeSessionFactory(new FakeDatabase()));
        await server.StartAsync();
        await using var conn = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={server.EndPoint!.Port};Username=u;Database=missing;Pooling=false;{PgServerFixture.NoTypeLoading}");
        var ex = await Assert.ThrowsAsync<PostgresException>(() => conn.OpenAsync());
        Assert.Equal("3D000", ex.SqlState);
    }
}
