namespace Query.Storage.Native;

/// <summary>Replaces a small file so that it is the old or the new one after any crash: a temporary file,
/// fdatasync, rename over the old one, directory fsync. Recovery deletes a leftover <c>*.tmp</c>.</summary>
internal static class DurableFile
{
    public static void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = path + ".tmp";
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, bytes, 0);
            FileSync.DataSync(handle);
        }
        File.Move(temporary, path, overwrite: true);
        FileSync.SyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Deletes the file and makes the deletion durable.</summary>
    public static void Delete(string path)
    {
        File.Delete(path);
        FileSync.SyncDirectory(Path.GetDirectoryName(path)!);
    }
}
