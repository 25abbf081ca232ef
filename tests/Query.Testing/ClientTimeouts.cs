namespace Query.Testing;

/// <summary>
/// How long a test's client waits for the server. These bound a hang, nothing more: the machine that runs the tests
/// may be shared by parallel builds (load 60-78 on 2 cores), and there a fresh server's first Npgsql open, which loads
/// the types from its catalog (0.65 s of CPU for client and server in a fresh test process, 0.07-0.15 s once warm),
/// took longer than the 15 s connect timeout the tests had.
/// </summary>
public static class ClientTimeouts
{
    /// <summary>Npgsql's connect timeout (type loading included) and command timeout, in seconds.</summary>
    public const int Seconds = 120;

    /// <summary><see cref="Seconds"/> as a deadline, for other waits on a server (its start, a round's progress).
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(Seconds);

    /// <summary>The two as a connection string fragment.</summary>
    public const string Npgsql = "Timeout=120;Command Timeout=120";
}
