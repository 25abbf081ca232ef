using System.Globalization;
using Npgsql;

namespace Query.Testing;

/// <summary>
/// What the crash tests (a real server process killed with SIGKILL) share: the port the child prints, a
/// connection that fails fast when the server is gone, and client loops that end quietly when it is killed.
/// </summary>
public static class CrashServer
{
    /// <summary>Awaits a client loop that ends with a connection error when the server is killed under it.</summary>
    public static async Task SwallowAsync(Task loop)
    {
        try
        {
            await loop;
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or ObjectDisposedException
            or InvalidOperationException or TimeoutException)
        {
        }
    }

    public static async Task<NpgsqlConnection> OpenAsync(int port)
    {
        var conn = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={port};Username=query;Database=query;Pooling=false;{ClientTimeouts.Npgsql}");
        await conn.OpenAsync();
        return conn;
    }

    /// <summary>The port of the server's "listening on host:port" line.</summary>
    public static int ParsePort(string line) =>
        int.Parse(line[(line.LastIndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
}
