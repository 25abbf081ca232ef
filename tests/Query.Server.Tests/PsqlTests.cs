namespace Query.Server.Tests;

/// <summary>psql (Debian postgresql-client; .ci/run installs it) against the real server.</summary>
public sealed class PsqlTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public PsqlTests(ServerFixture server) => _server = server;

    private Task<(int ExitCode, string Output, string Error)> PsqlAsync(string? command, string? input = null,
        params string[] extra)
    {
        var arguments = new List<string>
        {
            "-h", "127.0.0.1", "-p", _server.Port.ToString(), "-U", "query", "-d", "query",
            "-X", "-v", "ON_ERROR_STOP=1", "-A", "-t",
        };
        if (command is not null)
            arguments.AddRange(["-c", command]);
        arguments.AddRange(extra);
        return ExternalClient.RunAsync("psql", arguments, input);
    }

    [Fact]
    public async Task Multi_statement_string_runs_every_statement()
    {
        var name = ServerFixture.UniqueName("psql");
        var (code, output, error) = await PsqlAsync(
            $"CREATE STREAM {name} (n INT); INSERT INTO {name} (n) VALUES (1), (2); SELECT SUM(n) FROM {name};");
        Assert.True(code == 0, error);
        Assert.Contains("3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_commands_list_streams_and_their_columns()
    {
        var name = ServerFixture.UniqueName("described");
        var (code, _, error) = await PsqlAsync($"CREATE STREAM {name} (id BIGINT KEY, label STRING)");
        Assert.True(code == 0, error);

        var (listCode, list, listError) = await PsqlAsync(@"\dt");
        Assert.True(listCode == 0, listError);
        Assert.Contains(name, list, StringComparison.OrdinalIgnoreCase);

        var (describeCode, columns, describeError) = await PsqlAsync($@"\d {name}");
        Assert.True(describeCode == 0, describeError);
        Assert.Contains("label", columns, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("bigint", columns, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Verbose_describe_of_a_stream_answers_every_column_psql_reads_and_psql_does_not_crash()
    {
        var name = ServerFixture.UniqueName("verbose");
        var (code, _, error) = await PsqlAsync($"CREATE STREAM {name} (id BIGINT KEY, label STRING)");
        Assert.True(code == 0, error);
        // psql reads the \d+ column query's 11 columns by position; the 7 of \d made it read past the row.
        var (describe, output, describeError) = await PsqlAsync($"\\d+ {name}");
        Assert.True(describe is 0 or 1, $"psql exited {describe}: {describeError}");
        Assert.Contains("label", output, StringComparison.Ordinal);
        Assert.Contains("extended", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backslash_copy_loads_rows_from_the_client()
    {
        var name = ServerFixture.UniqueName("pcopy");
        Assert.Equal(0, (await PsqlAsync($"CREATE STREAM {name} (id BIGINT, label STRING)")).ExitCode);
        var (code, _, error) = await PsqlAsync(null, "1\tone\n2\ttwo\n\\.\n", "-c", $@"\copy {name} (id, label) from stdin");
        Assert.True(code == 0, error);

        var (_, output, _) = await PsqlAsync($"SELECT COUNT(*) FROM {name}");
        Assert.Equal("2", output.Trim());
    }

    [Fact]
    public async Task Errors_name_the_sqlstate_and_psql_exits_nonzero()
    {
        var (code, _, error) = await PsqlAsync("SELECT * FROM missing_stream_xyz");
        Assert.NotEqual(0, code);
        Assert.Contains("missing_stream_xyz", error, StringComparison.OrdinalIgnoreCase);
    }
}
