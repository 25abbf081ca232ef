using System.Collections.Concurrent;

namespace Query.PgWire;

/// <summary>What a session knows about its client: identity, startup parameters and live settings.</summary>
public sealed class PgSessionContext
{
    private readonly ConcurrentDictionary<string, string> _settings;

    internal PgSessionContext(string user, string database, int processId, IReadOnlyDictionary<string, string> startup,
        ConcurrentDictionary<string, string> settings)
    {
        User = user;
        Database = database;
        ProcessId = processId;
        StartupParameters = startup;
        _settings = settings;
    }

    public string User { get; }
    public string Database { get; }

    /// <summary>The BackendKeyData process id (unique per server).</summary>
    public int ProcessId { get; }

    public IReadOnlyDictionary<string, string> StartupParameters { get; }

    /// <summary>Current value of a setting (TimeZone, DateStyle, application_name…); null when unset.</summary>
    public string? GetSetting(string name) => _settings.TryGetValue(name, out var value) ? value : null;

    /// <summary>The session's settings as they are now (startup parameters, SET, RESET), read live.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;
}
