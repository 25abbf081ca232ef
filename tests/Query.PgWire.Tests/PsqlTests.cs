using System.Diagnostics;
using Query.PgWire.Types;

namespace Query.PgWire.Tests;

/// <summary>
/// Drives the real psql (Debian postgresql-client; CI installs it) against the server: multi-statement strings,
/// <c>\copy</c> and FETCH_COUNT cursors.
/// </summary>
public sealed class PsqlTests : IClassFixture<PgServerFixture>
{
    private const string Psql = "/usr/bin/psql";
    private readonly PgServerFixture _server;

    public PsqlTests(PgServerFixture server) => _server = server;

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string stdin, params string[] args)
    {
        Assert.True(File.Exists(Psql), "psql is required: apt-get install postgresql-client");
        var start = new ProcessStartInfo(Psql)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-X", "-h", "127.0.0.1", "-p", _server.Port.ToString(), "-U", "tester", "-d", "db",
                     "-v", "ON_ERROR_STOP=1" })
            start.ArgumentList.Add(arg);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Multi_statement_string_runs_every_statement()
    {
        var (code, output, error) = await RunAsync("", "-A", "-t", "-c",
            "SET application_name = 'psql-test'; SELECT 'two'; SHOW application_name");
        Assert.True(code == 0, error);
        Assert.Equal("SET\ntwo\npsql-test", output.Trim());   // psql 15 prints every result of the string
    }

    [Fact]
    public async Task Errors_print_the_message_and_position()
    {
        var (code, _, error) = await RunAsync("", "-c", "SELECT * FROM nope");
        Assert.NotEqual(0, code);
        Assert.Contains("relation \"nope\" does not exist", error, StringComparison.Ordinal);
        Assert.Contains("LINE 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_from_stdin_and_to_stdout()
    {
        var name = "p" + Guid.NewGuid().ToString("N")[..8];
        var table = _server.Database.CreateTable(name, "stream", [new("id", PgTypeOid.Int4), new("v", PgTypeOid.Text)]);
        var (code, output,
            error) = await RunAsync(
            $"\\copy {name} from stdin with (format csv)\n1,a\n2,\"b,c\"\n\\.\n\\copy {name} to stdout\n");
        Assert.True(code == 0, error);
        Assert.Equal(2, table.Rows.Count);
        Assert.Contains("2\tb,c", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_count_uses_a_cursor_and_returns_every_row()
    {
        var (code, output, error) = await RunAsync("\\set FETCH_COUNT 2\nSELECT * FROM items;\n", "-A", "-t");
        Assert.True(code == 0, error);
        Assert.Equal(["1|one", "2|two", "3|three"], output.Trim().Split('\n'));
    }
}
