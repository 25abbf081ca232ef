using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Query.Engine;
using Query.PgWire;

namespace Query.Server;

/// <summary>
/// The engine plus its wire listener, startable without the generic host (tests and benchmarks use this
/// directly, as Garnet's GarnetServer does).
/// </summary>
public sealed class QueryServer : IAsyncDisposable
{
    private readonly QueryEngine _engine;
    private readonly PgServer _pgServer;
    private readonly ArchivalService _archival;
    private int _disposed;

    private QueryServer(QueryEngine engine, PgServer pgServer, ArchivalService archival)
    {
        _engine = engine;
        _pgServer = pgServer;
        _archival = archival;
    }

    public IPEndPoint EndPoint => _pgServer.EndPoint!;

    public QueryEngine Engine => _engine;

    public static async Task<QueryServer> StartAsync(ServerSettings settings, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<QueryServer>();
        var options = settings.ToPgServerOptions();
        try
        {
            if (settings.CheckTrustExposure(options))
                logger.LogWarning("trust authentication on {Address} (--allow-trust-on-network): anyone who can " +
                    "reach port {Port} connects as any user", options.ListenAddress, options.Port);
        }
        catch (InvalidOperationException ex)
        {
            logger.LogCritical("{Reason}", ex.Message);
            throw;
        }
        var archivalInterval = settings.ArchivalInterval;
        Directory.CreateDirectory(settings.DataDirectory);
        // ksqlDB's processing log: rows persistent queries skip, and queries that fail, go to the server's log.
        var processingLog = loggerFactory.CreateLogger("Query.ProcessingLog");
        var engine = QueryEngine.Open(settings.ToEngineOptions() with
        {
            ProcessingLog = line => processingLog.LogWarning("{Line}", line),
        });
        try
        {
            var pgServer = new PgServer(options, new EngineSessionFactory(engine), loggerFactory);
            await pgServer.StartAsync(cancellationToken);
            var archival = new ArchivalService(engine, archivalInterval,
                loggerFactory.CreateLogger<ArchivalService>());
            await archival.StartAsync(cancellationToken);
            return new QueryServer(engine, pgServer, archival);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _archival.StopAsync(CancellationToken.None);
        _archival.Dispose();
        await _pgServer.DisposeAsync();
        await _engine.DisposeAsync();
    }
}
