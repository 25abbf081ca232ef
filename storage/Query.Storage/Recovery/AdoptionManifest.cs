using Query.Storage.Native;

namespace Query.Storage.Recovery;

/// <summary>
/// The file <c>adopting</c> in a partition directory: the renames that put a committed staged append's segments
/// into the chain, one <c>from to</c> line each, written (via a temporary file and a rename, so it is whole or
/// absent) before the first rename and deleted after the last. Every file it names is complete and durable
/// before it is written, so recovery finishes the renames it finds: a commit that reached the manifest is
/// adopted whole, never in part.
/// </summary>
internal static class AdoptionManifest
{
    public const string FileName = "adopting";

    public static void Write(string directory, IEnumerable<(string From, string To)> renames, bool sync)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            using (var writer = new StreamWriter(file, leaveOpen: true))
            {
                foreach (var (from, to) in renames)
                    writer.Write($"{from} {to}\n");
            }
            if (sync)
                file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        if (sync)
            FileSync.SyncDirectory(directory);
    }

    public static void Delete(string directory, bool sync)
    {
        File.Delete(Path.Combine(directory, FileName));
        if (sync)
            FileSync.SyncDirectory(directory);
    }

    /// <summary>Completes the renames of an adoption cut short by a crash (on open, before leftovers go).</summary>
    public static void RollForward(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return;
        foreach (var line in File.ReadAllLines(path))
        {
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Contains('/') || parts[1].Contains('/'))
                throw new CorruptSegmentException(path, 0, $"malformed adoption manifest line \"{line}\"");
            var from = Path.Combine(directory, parts[0]);
            if (File.Exists(from))
                File.Move(from, Path.Combine(directory, parts[1]), overwrite: true);
        }
        FileSync.SyncDirectory(directory);
        File.Delete(path);
    }
}
