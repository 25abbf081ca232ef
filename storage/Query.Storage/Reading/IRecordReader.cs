namespace Query.Storage.Reading;

/// <summary>
/// Forward-only reader over one partition, opened by <see cref="IPartitionSource.OpenReader"/>. A record is a
/// view into the reader's buffer, valid until the next <see cref="TryRead"/>. At the live end
/// <see cref="TryRead"/> returns false and may be called again after
/// <see cref="IPartitionSource.WaitForDataAsync"/>. Not thread-safe; dispose it.
/// </summary>
public interface IRecordReader : IDisposable
{
    /// <summary>The offset the next <see cref="TryRead"/> looks at (past any records it skipped).</summary>
    long NextOffset { get; }

    /// <summary>What this reader has read and skipped so far.</summary>
    ReadStatistics Statistics { get; }

    /// <summary>The next record; false at the reader's end offset or at the current end of the data.</summary>
    bool TryRead(out LogRecord record);
}
