using Npgsql;

namespace Query.Server.Tests;

/// <summary>
/// The session functions drivers call, answered by the engine with the connection's own state: what the client
/// SET (current_setting), its process id (pg_backend_pid), its database, and Npgsql's pool reset.
/// </summary>
public sealed class SessionFunctionWireTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public SessionFunctionWireTests(ServerFixture server) => _server = server;

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Session_functions_answer_from_the_connection()
    {
        await using var connection = await _server.OpenConnectionAsync();
        Assert.Equal("15.0", await ScalarAsync(connection, "SELECT current_setting('server_version')"));
        await ScalarAsync(connection, "SET application_name = 'session-test'");
        Assert.Equal("session-test", await ScalarAsync(connection, "SELECT current_setting('application_name')"));
        Assert.Equal("query", await ScalarAsync(connection, "  -- which database?\n\t select CURRENT_DATABASE()"));
        Assert.Equal(connection.ProcessID, await ScalarAsync(connection, "SELECT pg_backend_pid()"));
        Assert.Contains("PostgreSQL 15", (string)(await ScalarAsync(connection, "SELECT version()"))!,
            StringComparison.Ordinal);
        Assert.Equal("public", await ScalarAsync(connection, "SELECT current_schema()"));
        await ScalarAsync(connection, "SELECT pg_advisory_unlock_all()");
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            ScalarAsync(connection, "SELECT current_setting('no_such_thing')"));
        Assert.Equal("42704", error.SqlState);
    }
}
