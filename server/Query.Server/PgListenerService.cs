using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Query.Server;

/// <summary>
/// Opens the engine on the data directory and serves it over the PostgreSQL wire protocol. Shutdown order
/// matters: stop the listener first (sessions end with 57P01 and in-flight appends finish), then dispose the
/// engine, which flushes every log.
/// </summary>
internal sealed class PgListenerService : IHostedService, IAsyncDisposable
{
    private readonly ServerSettings _settings;
    private readonly ILoggerFactory _loggerFactory;
    private QueryServer? _server;

    public PgListenerService(ServerSettings settings, ILoggerFactory loggerFactory)
    {
        _settings = settings;
        _loggerFactory = loggerFactory;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await QueryServer.StartAsync(_settings, _loggerFactory, cancellationToken);
        var endPoint = _server.EndPoint;
        // Scripts wait for exactly this line to learn the port.
        Console.WriteLine($"listening on {endPoint.Address}:{endPoint.Port}");
        Console.WriteLine($"data directory: {Path.GetFullPath(_settings.DataDirectory)}");
        Console.WriteLine($"connect with: psql -h {endPoint.Address} -p {endPoint.Port} -U query query");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
            await _server.DisposeAsync();
        _server = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
