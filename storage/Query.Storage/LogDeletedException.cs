namespace Query.Storage;

/// <summary>An operation on a log (or partition) that was deleted or whose store was closed.</summary>
public sealed class LogDeletedException : StorageException
{
    public LogDeletedException(string name) : base($"log \"{name}\" was deleted or closed") => Name = name;

    public string Name { get; }
}
