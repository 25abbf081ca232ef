using Query.Testing;

namespace Query.Server.Tests;

/// <summary>
/// pgcli 3.5 (Debian pgcli, psycopg 3; .ci/run installs it) in a terminal: it starts, loads its completions on a
/// second connection without a traceback, and <c>\dt</c> lists our streams.
/// </summary>
public sealed class PgcliTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public PgcliTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Pgcli_starts_without_a_traceback_and_backslash_dt_lists_streams()
    {
        var name = ServerFixture.UniqueName("cli");
        await using (var connection = await _server.OpenConnectionAsync())
        {
            await using var command = new Npgsql.NpgsqlCommand($"CREATE STREAM {name} (id BIGINT KEY, v INT)",
                connection);
            await command.ExecuteNonQueryAsync();
        }
        using var home = new TempDirectory("pgcli-home");
        var screen = await Terminal.RunAsync(
            $"env HOME={home.Path} pgcli -h 127.0.0.1 -p {_server.Port} -U query -d query --less-chatty",
            "query>", [@"\dt", "Enter"], name);
        Assert.DoesNotContain("Traceback", screen, StringComparison.Ordinal);
        Assert.Matches($@"public\s*\|\s*{name}\s*\|\s*table\s*\|\s*query", screen);
        var log = await File.ReadAllTextAsync(Path.Combine(home.Path, ".config", "pgcli", "log"));
        Assert.DoesNotContain(" ERROR ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backslash_d_name_describes_columns_and_backslash_df_plus_lists_functions()
    {
        // pgcli's \d sends SUBSTRING(x FOR 128) and its \df+ joins pg_language.
        var name = ServerFixture.UniqueName("cld");
        await using (var connection = await _server.OpenConnectionAsync())
        {
            await using var command = new Npgsql.NpgsqlCommand($"CREATE TABLE {name} (id BIGINT PRIMARY KEY, v INT)",
                connection);
            await command.ExecuteNonQueryAsync();
        }
        using var home = new TempDirectory("pgcli-home");
        var screen = await Terminal.RunAsync(
            $"env HOME={home.Path} pgcli -h 127.0.0.1 -p {_server.Port} -U query -d query --less-chatty",
            "query>", [$@"\d {name}", "Enter", @"\df+", "Enter"], "Source code");
        Assert.Matches(@"\|\s*v\s*\|\s*integer", screen);
        Assert.Contains("Source code", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("error", screen, StringComparison.OrdinalIgnoreCase);
    }
}
