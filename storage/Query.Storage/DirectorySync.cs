using Query.Storage.Native;

namespace Query.Storage;

/// <summary>
/// fsync of a directory, so that a file created, renamed or deleted in it survives a power loss. Public so that the
/// catalog and the cold tier publish their files the same way the log does, with one implementation.
/// </summary>
public static class DirectorySync
{
    /// <summary>
    /// Flushes the directory entry changes of <paramref name="path"/>; IOException (errno) on failure.
    /// </summary>
    public static void Sync(string path) => FileSync.SyncDirectory(path);
}
