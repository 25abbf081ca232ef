namespace Query.Storage;

/// <summary>Data on disk failed validation at a position that is not a torn tail.</summary>
public sealed class CorruptSegmentException : StorageException
{
    public CorruptSegmentException(string path, long filePosition, string reason)
        : base($"corrupt segment data in {path} at file position {filePosition}: {reason}")
    {
        Path = path;
        FilePosition = filePosition;
    }

    public CorruptSegmentException(string path, long filePosition)
        : this(path, filePosition, "validation failed")
    {
    }

    public string Path { get; }
    public long FilePosition { get; }
}
