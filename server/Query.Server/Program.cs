using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Query.Server;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });
        builder.Configuration.AddEnvironmentVariables("QUERY_");
        builder.Configuration.AddCommandLine(ServerSettings.ExpandSwitches(args), ServerSettings.CommandLineFlags);
        var settings = new ServerSettings();
        builder.Configuration.Bind(settings);
        builder.Services.AddSingleton(settings);
        builder.Services.AddHostedService<PgListenerService>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        using var host = builder.Build();
        try
        {
            await host.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException
            or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"query-server: {ex.Message}");
            return 1;
        }
    }
}
