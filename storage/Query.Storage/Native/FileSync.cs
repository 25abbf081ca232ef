using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Query.Storage.Native;

/// <summary>
/// fdatasync for segment data and fsync for directories (so a created, renamed or deleted file survives a
/// power loss). The BCL has no flush for a bare <see cref="SafeFileHandle"/>, hence the P/Invoke on Linux;
/// elsewhere a FileStream over the handle does it.
/// Errors surface as <see cref="IOException"/> whose HResult is the errno, like the BCL's own.
/// </summary>
internal static partial class FileSync
{
    public static void DataSync(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Not disposed: disposing would close the segment's handle.
            new FileStream(handle, FileAccess.ReadWrite, 0).Flush(flushToDisk: true);
            return;
        }
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (FDataSync((int)handle.DangerousGetHandle()) != 0)
                ThrowErrno("fdatasync");
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    /// <summary>
    /// Starts writing back a file's dirty pages in [offset, offset + count) without waiting (Linux
    /// sync_file_range with SYNC_FILE_RANGE_WRITE), so a later fdatasync has little left to do. Not a
    /// durability guarantee, only a head start; a no-op elsewhere or when the call fails.
    /// </summary>
    public static void StartWriteback(SafeFileHandle handle, long offset, long count)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            _ = SyncFileRange((int)handle.DangerousGetHandle(), offset, count, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var fd = Open(path, 0);
        if (fd < 0)
            ThrowErrno("open directory " + path);
        try
        {
            if (FSync(fd) != 0)
                ThrowErrno("fsync directory " + path);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static void ThrowErrno(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        throw new IOException($"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(int fd);

    private const uint SyncFileRangeWrite = 2;

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
