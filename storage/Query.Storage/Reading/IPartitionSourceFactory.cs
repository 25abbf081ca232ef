namespace Query.Storage.Reading;

/// <summary>
/// How a reader of logs (the engine) obtains the sources of a log, so that a different kind of source (cold
/// files below the hot log, a remote broker) can be substituted by whoever builds the reader.
/// </summary>
public interface IPartitionSourceFactory
{
    /// <summary>One source per partition of <paramref name="log"/>, indexed by partition number.</summary>
    IReadOnlyList<IPartitionSource> CreateSources(PartitionedLog log);
}
