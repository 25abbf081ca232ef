using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Query.Storage;
using Query.Testing;
using Query.Tiering.CrashHarness;
using Query.Tiering.Reading;

namespace Query.Tiering.Tests;

/// <summary>
/// SIGKILL of a real process while it appends and archives (tests/Query.Tiering.CrashHarness), twelve rounds
/// on the same folders: one partition, and two partitions archived at once (each on its own thread). After each
/// kill: no temporary file survives start-up, the Parquet files on disk are exactly those the manifests name, no
/// acknowledged offset is lost, and every offset of every partition reads exactly once, with the bytes it was
/// written with, across the two tiers.
/// </summary>
public sealed class ArchivalCrashTests : IDisposable
{
    private const int Rounds = 12;
    private readonly TempDirectory _directory = new("tiering-crash");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public Task Killing_the_process_during_archival_loses_nothing_and_duplicates_nothing() => KillRoundsAsync(1);

    [Fact]
    public Task Killing_the_process_while_two_partitions_archive_at_once_loses_nothing_and_duplicates_nothing() =>
        KillRoundsAsync(2);

    private async Task KillRoundsAsync(int partitions)
    {
        var data = Path.Combine(_directory.Path, "data");
        var cold = Path.Combine(_directory.Path, "cold");
        var random = new Random(42);
        long acknowledged = 0, archivedRounds = 0, coldEnd = 0;
        for (var round = 0; round < Rounds; round++)
        {
            using (var harness = Start(data, cold, partitions))
            {
                // Each acknowledged append is followed by archival: kill a few milliseconds after the k-th one.
                await harness.WaitForLineAsync("A ", random.Next(2, 10), TimeSpan.FromSeconds(60));
                await Task.Delay(random.Next(0, 25));
                harness.Kill();
                acknowledged = Math.Max(acknowledged, harness.LastNumber("A "));
                archivedRounds += harness.Count("R ");
            }
            coldEnd = await VerifyAsync(data, cold, acknowledged, partitions);
        }
        Assert.True(archivedRounds > 0, "the harness never finished an archival round");
        Assert.True(coldEnd > 1000, $"only {coldEnd} offsets archived");
    }

    // The least cold end of the partitions.
    private static async Task<long> VerifyAsync(string data, string cold, long acknowledged, int partitions)
    {
        await using var store = LogStore.Open(data);
        Assert.True(store.TryGetLog(CrashRecords.LogName, out var log));
        var coldStore = new ColdStore(cold);
        var tiers = Enumerable.Range(0, partitions).Select(p => coldStore.GetTier(CrashRecords.LogName, p)).ToList();
        Assert.Empty(TierTestKit.StrayFiles(cold));         // opening the tiers cleaned what the kill left
        var named = new List<string>();
        var coldEnd = long.MaxValue;
        for (var p = 0; p < partitions; p++)
        {
            var folder = $"{CrashRecords.LogName}/partition={p}/";
            named.AddRange(tiers[p].Manifest.Files.Select(f => folder + f.RelativePath));
            VerifyPartition(log.GetPartition(p), tiers[p], acknowledged);
            coldEnd = Math.Min(coldEnd, tiers[p].Manifest.EndOffset);
        }
        Assert.Equal(named.Order(), TierTestKit.ParquetFiles(cold).Select(f => f.Replace('\\', '/')));
        return coldEnd;
    }

    private static void VerifyPartition(PartitionLog partition, PartitionTier tier, long acknowledged)
    {
        Assert.True(partition.EndOffset >= acknowledged, $"acknowledged {acknowledged}, found {partition.EndOffset}");
        var source = new TieredPartitionSource(partition, tier, () => TierTestKit.Layout);
        using var reader = source.OpenReader(0);
        long expected = 0;
        while (reader.TryRead(out var record))
        {
            Assert.Equal(expected, record.Offset);
            Assert.Equal(CrashRecords.TimestampMs(expected), record.TimestampMs);
            Assert.True(record.Key.SequenceEqual(CrashRecords.Key(expected)));
            Assert.True(record.Value.SequenceEqual(CrashRecords.Value(expected)), $"value of offset {expected}");
            Assert.Equal(CrashRecords.Headers(expected).Length, record.HeaderCount);
            expected++;
        }
        Assert.Equal(partition.EndOffset, expected);
        Assert.Equal(0, reader.Statistics.OffsetsSkippedByRetention);
    }

    private static HarnessProcess Start(string data, string cold, int partitions)
    {
        var path = typeof(ArchivalCrashTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "TieringCrashHarnessPath").Value!;
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.GetFullPath(path));
        info.ArgumentList.Add(data);
        info.ArgumentList.Add(cold);
        info.ArgumentList.Add(partitions.ToString(CultureInfo.InvariantCulture));
        return new HarnessProcess(Process.Start(info)!);
    }

    private sealed class HarnessProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];

        public HarnessProcess(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "E " + e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public async Task WaitForLineAsync(string prefix, int count, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (Count(prefix) < count)
            {
                lock (_lines)
                {
                    var error = _lines.FirstOrDefault(l => l.StartsWith("E ", StringComparison.Ordinal));
                    if (error is not null)
                        throw new InvalidOperationException("harness failed: " + error);
                }
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException("the harness printed no line starting with " + prefix);
                await Task.Delay(20);
            }
        }

        public int Count(string prefix)
        {
            lock (_lines)
            {
                return _lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal)
                    && l.EndsWith(" .", StringComparison.Ordinal));
            }
        }

        /// <summary>The number on the last complete line with <paramref name="prefix"/> (a cut line lacks " .").</summary>
        public long LastNumber(string prefix)
        {
            lock (_lines)
            {
                var line = _lines.LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)
                    && l.EndsWith(" .", StringComparison.Ordinal));
                return line is null ? 0 : long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
            }
        }

        public void Kill()
        {
            _process.Kill(entireProcessTree: true);     // SIGKILL on Unix
            _process.WaitForExit();
        }

        public void Dispose() => _process.Dispose();

        private void Add(string? line)
        {
            if (line is null)
                return;
            lock (_lines)
                _lines.Add(line);
        }
    }
}
