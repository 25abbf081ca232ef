namespace Query.Storage;

/// <summary>CreateLog named a log that already exists.</summary>
public sealed class LogAlreadyExistsException : StorageException
{
    public LogAlreadyExistsException(string name) : base($"log \"{name}\" already exists") => Name = name;

    public string Name { get; }
}
