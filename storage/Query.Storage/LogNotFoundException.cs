namespace Query.Storage;

/// <summary>A log name that the store does not hold.</summary>
public sealed class LogNotFoundException : StorageException
{
    public LogNotFoundException(string name) : base($"log \"{name}\" does not exist") => Name = name;

    public string Name { get; }
}
