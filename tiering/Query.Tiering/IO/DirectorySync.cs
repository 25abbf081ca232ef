using System.Runtime.InteropServices;

namespace Query.Tiering.IO;

/// <summary>
/// fsync of a directory, so the rename that publishes a cold file or manifest survives a power loss. The BCL cannot
/// open a directory as a file, hence libc on Linux; other systems keep the rename's own guarantees.
/// </summary>
internal static partial class DirectorySync
{
    public static void Sync(string path)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var descriptor = OpenDirectory(path, 0);
        if (descriptor < 0)
            throw new IOException($"cannot open directory {path} to sync it", Marshal.GetLastPInvokeError());
        try
        {
            if (FSync(descriptor) != 0)
                throw new IOException($"fsync of directory {path} failed", Marshal.GetLastPInvokeError());
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenDirectory(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
