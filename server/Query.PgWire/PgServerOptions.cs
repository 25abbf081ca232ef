using System.Net;

namespace Query.PgWire;

/// <summary>Settings of a <c>PgServer</c>.</summary>
public sealed class PgServerOptions
{
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one (read <c>PgServer.EndPoint</c>).</summary>
    public int Port { get; set; } = 5432;

    /// <summary>Largest frontend message accepted; bigger ones are rejected before their body is read.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Largest message before authentication completes: the startup packet and the password or SASL messages
    /// (PostgreSQL caps the startup packet at 10,000 bytes). Larger ones close the connection (08P01).
    /// </summary>
    public int MaxUnauthenticatedMessageBytes { get; set; } = 10_000;

    /// <summary>Authenticated sessions, administrators' reserved slots included.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>
    /// Slots of <see cref="MaxConnections"/> only <see cref="AdminUsers"/> may take (PostgreSQL's
    /// superuser_reserved_connections).
    /// </summary>
    public int ReservedConnections { get; set; }

    /// <summary>Users who may take the reserved connection slots.</summary>
    public IReadOnlySet<string> AdminUsers { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Sockets still in the startup phase (not yet authenticated); more are refused at once (53300) so a flood of
    /// silent sockets cannot hold unbounded resources.
    /// </summary>
    public int MaxUnauthenticatedConnections { get; set; } = 256;

    /// <summary>
    /// Time from accepting a socket to a ready session (PostgreSQL's authentication_timeout, also 60 s); a client
    /// still starting up after it is disconnected.
    /// </summary>
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public PgAuthMode AuthMode { get; set; } = PgAuthMode.Trust;

    /// <summary>User name to password, for SCRAM-SHA-256 and cleartext.</summary>
    public IReadOnlyDictionary<string, string> Users { get; set; } = new Dictionary<string, string>();

    /// <summary>Reported as server_version; clients parse the leading digits, so keep it 15.x.</summary>
    public string ServerVersion { get; set; } = "15.0";

    /// <summary>
    /// Connections served by a thread of their own, which waits for the client's next message in a blocking
    /// receive as PostgreSQL's backend does (one wake-up per round trip instead of the socket engine's epoll thread
    /// and a thread-pool hop); connections beyond this many share the thread pool. 0: every connection shares it.
    /// </summary>
    public int ConnectionThreads { get; set; } = 64;

    /// <summary>
    /// Chunks of a text or CSV COPY FROM STDIN parsed at once on threads of their own, when the sink takes rows from
    /// several threads (<see cref="IPgCopySink.OpenLane"/>); 1: the connection's thread parses every row. Rows keep
    /// their order; at most this many chunks are held in memory besides the one being read. 2 by default: on the
    /// idle 2-vCPU host measured, two parser threads made a 2 M-row COPY 7-19% faster at no more CPU; with every
    /// core busy with other work they were no faster and cost 6-18% more CPU, so a shared machine may want 1
    /// (README, Bulk ingest).
    /// </summary>
    public int CopyParallelism { get; set; } = 2;

    /// <summary>Bytes of COPY input per parallel chunk (cut after a complete line).</summary>
    public int CopyChunkBytes { get; set; } = 1 << 20;

    /// <summary>How long <c>PgServer.StopAsync</c> waits for sessions to end before abandoning them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
