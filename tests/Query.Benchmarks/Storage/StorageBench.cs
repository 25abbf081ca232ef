using System.Diagnostics;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// Storage bench commands (<c>dotnet run -c Release --project tests/Query.Benchmarks -- bench storage-all</c>):
/// append throughput, group commit, sequential read, offset and time seek. Each prints a Markdown table.
/// Data goes under $QUERY_BENCH_DIR or the temp folder and is deleted afterwards.
/// </summary>
internal static partial class BenchRegistry
{
    static partial void RegisterStorage()
    {
        BenchCommands.Register("storage-append", StorageAppendBench.Run);
        BenchCommands.Register("storage-groupcommit", StorageGroupCommitBench.Run);
        BenchCommands.Register("storage-journal-share", args =>
        {
            StorageJournalShareBench.Run(args);
            return 0;
        });
        BenchCommands.Register("storage-read", StorageReadBench.Run);
        BenchCommands.Register("storage-seek", StorageSeekBench.Run);
        BenchCommands.Register("storage-txn", StorageTransactionBench.Run);
        BenchCommands.Register("storage-dd", _ => StorageBenchKit.PrintDd());
        BenchCommands.Register("storage-all", args =>
        {
            StorageBenchKit.PrintDd();
            StorageAppendBench.Run(args);
            StorageGroupCommitBench.Run(args);
            StorageReadBench.Run(args);
            return StorageSeekBench.Run(args);
        });
    }
}

internal static class StorageBenchKit
{
    public const int ValueBytes = 100;

    public static TempDirectory NewDirectory() =>
        Environment.GetEnvironmentVariable("QUERY_BENCH_DIR") is { Length: > 0 } root
            ? new TempDirectory(Path.Combine(root, "storage-bench"))
            : new TempDirectory("storage-bench");

    /// <summary>The disk's own sequential write figure with fdatasync, printed beside the results.</summary>
    public static int PrintDd()
    {
        using var directory = NewDirectory();
        var info = new ProcessStartInfo("dd")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[] { "if=/dev/zero", $"of={Path.Combine(directory.Path, "dd.tmp")}", "bs=1M",
            "count=256", "conv=fdatasync" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Console.WriteLine("dd if=/dev/zero of=<tmp> bs=1M count=256 conv=fdatasync");
        Console.WriteLine(output.Trim());
        Console.WriteLine();
        return process.ExitCode;
    }

    /// <summary>
    /// Writes back every dirty page (the `sync` command) so an fsync-bound measurement does not queue behind the
    /// gigabytes an earlier durability-none run left in the page cache.
    /// </summary>
    public static void SettleDisk()
    {
        using var process = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
        process?.WaitForExit();
    }

    public static double Mb(long bytes, TimeSpan elapsed) => bytes / 1e6 / elapsed.TotalSeconds;
}
