namespace Query.Storage;

/// <summary>When an append is acknowledged relative to reaching stable storage.</summary>
public enum DurabilityMode
{
    /// <summary>Acknowledged only after fsync; concurrent appenders share one fsync (group commit).</summary>
    Sync,

    /// <summary>
    /// Acknowledged once written to the page cache; fsync every <see cref="LogOptions.FlushInterval"/>.
    /// </summary>
    Interval,

    /// <summary>Acknowledged once written to the page cache; fsync only on clean close.</summary>
    None,
}
