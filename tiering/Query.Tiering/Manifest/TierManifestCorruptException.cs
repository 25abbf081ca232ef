namespace Query.Tiering.Manifest;

/// <summary>A tier manifest cannot be read; nothing of the partition's cold tier is trusted or deleted.</summary>
public sealed class TierManifestCorruptException(string path, string problem, Exception? inner)
    : Exception($"tier manifest {path} is unreadable: {problem}", inner)
{
    public string Path { get; } = path;
}
