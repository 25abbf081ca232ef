using Microsoft.Extensions.Configuration;
using Query.Testing;

namespace Query.Server.Tests;

/// <summary>The tiering settings: flags and environment keys, the default cold root, and their checks.</summary>
public sealed class TieringSettingsTests
{
    [Fact]
    public void Flags_set_every_tiering_setting_and_the_cold_root_defaults_under_the_data_directory()
    {
        var settings = new ServerSettings();
        new ConfigurationBuilder().AddCommandLine(ServerSettings.ExpandSwitches(["--tiered-by-default",
            "--local-retention-ms", "5000", "--local-retention-bytes", "-1", "--archival-interval-seconds", "2.5",
            "--archival-history-runs", "9", "--archival-parallelism", "3", "--cold-open-files", "7",
            "--compaction-target-file-bytes", "65536", "--compaction-min-files", "3",
            "--data-dir", "/tmp/x"]), ServerSettings.CommandLineFlags).Build()
            .Bind(settings);
        Assert.True(settings.TieredByDefault);
        Assert.Equal(TimeSpan.FromSeconds(2.5), settings.ArchivalInterval);
        using var data = new TempDirectory("tiering-settings");
        settings.DataDirectory = data.Path;
        var options = settings.ToEngineOptions();
        Assert.Equal(Path.Combine(data.Path, "cold"), options.ColdStore!.Root);
        Assert.Equal(7, options.ColdStore.FileCache.Capacity);
        Assert.Equal(new Engine.Tiering.TieringDefaults
        {
            Enabled = true,
            LocalRetentionMs = 5000,
            LocalRetentionBytes = -1,
            HistoryRuns = 9,
            ArchivalParallelism = 3,
            Compaction = new Tiering.Compaction.CompactionOptions { TargetFileBytes = 65536, MinFilesToMerge = 3 },
        }, options.Tiering);

        settings.ColdRoot = Path.Combine(data.Path, "elsewhere");
        Assert.Equal(settings.ColdRoot, settings.ToEngineOptions().ColdStore!.Root);
    }

    [Fact]
    public async Task Bad_tiering_settings_refuse_to_start()
    {
        using var data = new TempDirectory("tiering-settings-bad");
        await Assert.ThrowsAsync<InvalidOperationException>(() => QueryServer.StartAsync(new ServerSettings
        {
            DataDirectory = data.Path,
            Port = 0,
            ArchivalIntervalSeconds = 0,
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => QueryServer.StartAsync(new ServerSettings
        {
            DataDirectory = data.Path,
            Port = 0,
            LocalRetentionMs = -2,
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => QueryServer.StartAsync(new ServerSettings
        {
            DataDirectory = data.Path,
            Port = 0,
            CompactionMinFiles = 1,
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => QueryServer.StartAsync(new ServerSettings
        {
            DataDirectory = data.Path,
            Port = 0,
            ArchivalParallelism = 0,
        }));
    }
}
