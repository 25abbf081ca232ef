namespace Query.Engine.Catalog;

/// <summary>The kind of a window: of a windowed aggregation, and of the keys of a windowed table.</summary>
public enum WindowKind
{
    /// <summary>Fixed-size, non-overlapping windows aligned to the epoch.</summary>
    Tumbling,

    /// <summary>Fixed-size windows that start every ADVANCE BY (they overlap when it is below the size).</summary>
    Hopping,

    /// <summary>One window per burst of activity of a key: events closer than the gap share a session.</summary>
    Session,
}

/// <summary>
/// The window of a windowed table's keys (ksqlDB's WINDOW_TYPE / WINDOW_SIZE): every record key is the key column's
/// bytes followed by the window, as Kafka Streams' windowed serdes lay it out (<see cref="Windows.WindowedKey"/>).
/// <see cref="SizeMs"/> is 0 for sessions, whose keys carry their own end.
/// </summary>
public sealed record TableWindow(WindowKind Kind, long SizeMs);
