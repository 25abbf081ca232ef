namespace Query.Storage;

/// <summary>The disk is full; the failed append wrote nothing and the log stays consistent.</summary>
public sealed class StorageFullException : StorageException
{
    public StorageFullException(string path, Exception innerException)
        : base($"no space left on the device holding {path}", innerException) => Path = path;

    public string Path { get; }

    /// <summary>ENOSPC on Unix; ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    internal static bool IsDiskFull(IOException exception)
    {
        var code = exception.HResult & 0xFFFF;
        return exception.HResult == 28 || code == 0x70 || code == 0x27;
    }
}
