using System.Diagnostics;

namespace Query.PgWire.Tests;

/// <summary>psycopg2 (Debian python3-psycopg2, run with /usr/bin/python3): simple protocol only, BEGIN per
/// transaction.</summary>
public sealed class Psycopg2Tests : IClassFixture<PgServerFixture>
{
    private const string Python = "/usr/bin/python3";
    private readonly PgServerFixture _server;

    public Psycopg2Tests(PgServerFixture server) => _server = server;

    private const string Script = """
        import psycopg2, sys
        conn = psycopg2.connect(host='127.0.0.1', port=int(sys.argv[1]), user='tester', dbname='db')
        cur = conn.cursor()
        cur.execute("SELECT %s::int8, %s", (42, "it's"))
        print(cur.fetchone())
        try:
            cur.execute("SELEC 1")
        except psycopg2.Error as e:
            print("ERR", e.pgcode)
            conn.rollback()
        cur.execute("SELECT * FROM items")
        print(len(cur.fetchall()))
        named = conn.cursor('c1')
        named.itersize = 2
        named.execute("SELECT * FROM items")
        print(sum(1 for _ in named))
        conn.commit()
        print(conn.server_version)
        """;

    [Fact]
    public async Task Psycopg2_queries_parameters_errors_and_named_cursors()
    {
        Assert.True(File.Exists(Python), "python3 with psycopg2 is required: apt-get install python3-psycopg2");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(_server.Port.ToString());
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await error);
        Assert.Equal(["(42, \"it's\")", "ERR 42601", "3", "3", "150000"], (await output).Trim().Split('\n'));
    }
}
