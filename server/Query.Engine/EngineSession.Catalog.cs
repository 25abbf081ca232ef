using Query.Engine.Statements;
using Query.Engine.SystemCatalog;

namespace Query.Engine;

/// <summary>The session's identity as the system catalog shows it (current_user, current_database,
/// pg_settings).</summary>
public sealed partial class EngineSession
{
    /// <summary>The user the client authenticated as (current_user, pg_roles).</summary>
    public string User { get; init; } = "query";

    /// <summary>The database the client asked for (current_database(), pg_database).</summary>
    public string Database { get; init; } = "query";

    /// <summary>
    /// The settings the client's connection holds (its startup parameters and what it SET), read live by
    /// current_setting() and pg_settings; the wire layer keeps them, the engine only reads them.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ClientSettings { get; set; }

    /// <summary>The connection's process id (pg_backend_pid(), what CancelRequest names), 0 when none.</summary>
    public int ProcessId { get; set; }

    private static readonly Dictionary<string, string> EmptySettings = [];

    /// <summary>The catalog as the system relations show it now, with this session's settings.</summary>
    internal CatalogSnapshot CatalogSnapshot()
    {
        var settings = new Dictionary<string, string>(ShowHandler.ServerVariables, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in ClientSettings ?? EmptySettings)
            settings[name] = value;
        foreach (var (name, value) in _properties)
            settings[name.ToLowerInvariant()] = value;
        return new CatalogSnapshot(Engine.ListStreams(), User, Database, settings, RelationBytes);
    }

    /// <summary>The bytes of a stream's or table's log segments, every partition.</summary>
    private long RelationBytes(string name)
    {
        if (!Engine.TryGetStream(name, out var stream))
            return 0;
        long bytes = 0;
        foreach (var source in stream.Sources)
        {
            foreach (var segment in source.DescribeExtents())
                bytes += segment.SizeBytes;
        }
        return bytes;
    }
}
