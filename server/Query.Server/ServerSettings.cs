using Query.PgWire;

namespace Query.Server;

/// <summary>
/// Server settings, bound from appsettings.json, then QUERY_* environment variables, then command-line flags
/// (later sources win). See README.md for every key.
/// </summary>
public sealed class ServerSettings
{
    /// <summary>Where the logs and the catalog live; created when missing.</summary>
    public string DataDirectory { get; set; } = "data";

    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (the chosen port is printed).</summary>
    public int Port { get; set; } = 5433;

    public int MaxMessageBytes { get; set; } = 64 * 1024 * 1024;

    public int MaxConnections { get; set; } = 1000;

    /// <summary>trust (default), scram-sha-256 or cleartext.</summary>
    public string Auth { get; set; } = "trust";

    /// <summary>User name to password, for scram-sha-256 and cleartext.</summary>
    public Dictionary<string, string> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Deepest syntax tree of a statement (54001 past it).</summary>
    public int MaxStatementDepth { get; set; } = Grammar.SqlParser.DefaultMaxDepth;

    /// <summary>Largest string, bytes or array value a function may build (54000 past it).</summary>
    public long MaxValueBytes { get; set; } = Engine.Limits.ValueSizeLimits.DefaultMaxValueBytes;

    /// <summary>Most items in one IN list (54000 past it).</summary>
    public int MaxInListItems { get; set; } = 100_000;

    /// <summary>Memory one pull query may hold for groups, sorted rows and distinct values (53200 past it).</summary>
    public long QueryMemoryBytes { get; set; } = 256L * 1024 * 1024;

    public Engine.EngineOptions ToEngineOptions() => new()
    {
        DataDirectory = DataDirectory,
        MaxStatementDepth = MaxStatementDepth,
        MaxValueBytes = MaxValueBytes,
        MaxInListItems = MaxInListItems,
        QueryMemoryBytes = QueryMemoryBytes,
    };

    /// <summary>Flags accepted on the command line, mapped to the keys above.</summary>
    public static IDictionary<string, string> CommandLineFlags { get; } = new Dictionary<string, string>
    {
        ["--data-dir"] = nameof(DataDirectory),
        ["--host"] = nameof(Host),
        ["--port"] = nameof(Port),
        ["--max-message-bytes"] = nameof(MaxMessageBytes),
        ["--max-connections"] = nameof(MaxConnections),
        ["--auth"] = nameof(Auth),
        ["--max-statement-depth"] = nameof(MaxStatementDepth),
        ["--max-value-bytes"] = nameof(MaxValueBytes),
        ["--max-in-list-items"] = nameof(MaxInListItems),
        ["--query-memory-bytes"] = nameof(QueryMemoryBytes),
    };

    public PgServerOptions ToPgServerOptions()
    {
        if (!System.Net.IPAddress.TryParse(Host, out var address))
            throw new InvalidOperationException($"Host '{Host}' is not an IP address");
        return new PgServerOptions
        {
            ListenAddress = address,
            Port = Port,
            MaxMessageBytes = MaxMessageBytes,
            MaxConnections = MaxConnections,
            AuthMode = ParseAuth(Auth),
            Users = Users,
        };
    }

    private static PgAuthMode ParseAuth(string auth) => auth.ToLowerInvariant() switch
    {
        "trust" => PgAuthMode.Trust,
        "scram-sha-256" or "scram" => PgAuthMode.ScramSha256,
        "cleartext" or "password" => PgAuthMode.Cleartext,
        _ => throw new InvalidOperationException($"Auth '{auth}' is not one of trust, scram-sha-256, cleartext"),
    };
}
