namespace Query.Server.Tests;

/// <summary>
/// Runs one part of a client program from Clients/ (Python with Debian's packages, Java with pgjdbc, node with
/// the pinned npm packages) against the server; the program prints "ok" when every check of the part holds.
/// </summary>
internal static class ClientScript
{
    public const string JdbcDriver = "/usr/share/java/postgresql.jar";

    public static Task PythonAsync(ServerFixture server, string script, string prefix, string part) =>
        RunAsync("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Clients", script)], server, prefix,
            part);

    public static Task JavaAsync(ServerFixture server, string source, string prefix, string part) =>
        RunAsync("java", ["-cp", JdbcDriver, Path.Combine(AppContext.BaseDirectory, "Clients", source)], server,
            prefix, part);

    public static async Task NodeAsync(ServerFixture server, string script, string prefix, string part)
    {
        await NodePostgresTests.InstallAsync();
        await RunAsync("node", [Path.Combine(NodePostgresTests.ClientDirectory, script)], server, prefix, part);
    }

    private static async Task RunAsync(string program, string[] command, ServerFixture server, string prefix,
        string part)
    {
        var arguments = new List<string>(command) { server.Port.ToString(), ServerFixture.UniqueName(prefix), part };
        var (code, output, error) = await ExternalClient.RunAsync(program, arguments,
            timeout: TimeSpan.FromSeconds(120));
        Assert.True(code == 0, $"{part}: exit {code}\n{output}\n{error}");
        Assert.Equal("ok", output.Trim().Split('\n')[^1]);
    }
}
