using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Query.Engine;

namespace Query.Server;

/// <summary>
/// The archival job: every <see cref="ServerSettings.ArchivalInterval"/> it runs the engine's pass over every
/// tiered stream (archive sealed segments past the hot limits, expire cold files past the total retention, merge
/// small cold files) and logs what moved and what failed. A failed partition keeps its hot data and is retried at
/// the next pass; the job itself never stops on an error. The engine owns the work; this is only the schedule.
/// </summary>
public sealed class ArchivalService(QueryEngine engine, TimeSpan interval, ILogger<ArchivalService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            // The first pass waits one interval: start-up (recovery, the listener) comes first.
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunPassAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: an archival step in flight completed or rolled back before the token was seen.
        }
    }

    private async Task RunPassAsync(CancellationToken stoppingToken)
    {
        var started = DateTimeOffset.UtcNow;
        var pass = await engine.RunArchivalPassAsync(stoppingToken);
        if (pass.Archived.Segments > 0 || pass.FilesExpired > 0)
            logger.LogInformation("archival: {Streams} tiered streams, {Segments} segments ({Rows} rows, {BytesIn} "
                + "log bytes) moved to {Files} cold files of {BytesOut} bytes, {Expired} cold files expired",
                pass.Streams, pass.Archived.Segments, pass.Archived.Rows, pass.Archived.BytesIn, pass.Archived.Files,
                pass.Archived.BytesOut, pass.FilesExpired);
        if (pass.Compacted.Runs > 0)
            logger.LogInformation("compaction: {FilesIn} cold files ({Rows} rows, {BytesIn} bytes) merged into {Runs} "
                + "files of {BytesOut} bytes", pass.Compacted.FilesIn, pass.Compacted.Rows, pass.Compacted.BytesIn,
                pass.Compacted.Runs, pass.Compacted.BytesOut);
        if (pass.Failures == 0)
            return;
        foreach (var run in engine.ArchivalRuns)
        {
            var progress = run.Progress;
            if (progress.LastError is { } error && progress.Started >= started.AddSeconds(-1))
                logger.LogWarning("archival of {Stream} partition {Partition} failed (hot data kept, retried at the "
                    + "next pass): {Error}", progress.Stream, progress.Partition, error);
        }
    }
}
