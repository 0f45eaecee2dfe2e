using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.DependencyInjection;
using RedisFlow.CacheServer.Diagnostics;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary>
/// The generic host that runs the daemon, built in two steps: the configuration is checked first (task source,
/// storage, <c>Cache</c> section), so a bad setting fails before any connection; then Redis is connected.
/// </summary>
internal sealed class CacheHost : IAsyncDisposable
{
    private readonly IHost _host;

    private CacheHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public CacheDaemon Daemon => _host.Services.GetRequiredService<CacheDaemon>();

    /// <summary>Builds the host and checks the configuration; <see cref="RedisFlowConfigurationException"/> names a bad setting.</summary>
    /// <remarks>
    /// <c>beforeConnect</c> is a last check once every setting is valid, before Redis is contacted (serve: the SQLite
    /// file exists). <c>beforeStart</c> runs once Redis is connected, before the daemon's first cycle (serve: the
    /// metrics listener, so that cycle is counted); when it throws, nothing is left running.
    /// </remarks>
    public static async Task<CacheHost> StartAsync(CliContext context, IConfiguration configuration, bool quiet, CancellationToken ct,
        Action? beforeConnect = null, Func<IServiceProvider, Task>? beforeStart = null)
    {
        RedisDb? db = null;
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(quiet ? LogLevel.Warning : LogLevel.Information);
        if (Diagnostics.ServeSettings.JsonLogs(configuration))
        {
            builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        }

        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSingleton(_ => db ?? throw new InvalidOperationException("Redis is connected after the configuration check."));
        builder.Services.AddRedisFlowCacheServer(builder.Configuration);
        // The counters and last cycle, in a short-lived key the dashboard reads (redisflow dashboard, cache page).
        builder.Services.AddRedisFlowCacheStatus();
        builder.Services.AddCacheProviders();
        var host = builder.Build();
        try
        {
            // Resolving these validates their settings (and names the bad one) before Redis is contacted.
            _ = host.Services.GetRequiredService<CacheOptions>();
            _ = host.Services.GetRequiredService<ITaskSource>();
            _ = host.Services.GetRequiredService<IFileStorage>();
            _ = context.RedisOptions();
            beforeConnect?.Invoke();
            // A daemon waits for Redis to come back (as the seed's loop does) rather than refusing to start.
            db = await context.ConnectAsync(ct, requireAlive: false).ConfigureAwait(false);
            _ = host.Services.GetRequiredService<CacheCycle>();
            if (beforeStart is not null)
            {
                await beforeStart(host.Services).ConfigureAwait(false);
            }

            await host.StartAsync(ct).ConfigureAwait(false);
            return new CacheHost(host);
        }
        catch
        {
            await DisposeHostAsync(host).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Asks the host to stop (as SIGTERM does): <see cref="WaitForShutdownAsync"/> then returns normally.</summary>
    public void RequestStop() => _host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

    /// <summary>Runs until <paramref name="ct"/> is cancelled (Ctrl-C, SIGTERM) or the host is stopped.</summary>
    public Task WaitForShutdownAsync(CancellationToken ct) => _host.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _host.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await DisposeHostAsync(_host).ConfigureAwait(false);
    }

    private static async Task DisposeHostAsync(IHost host)
    {
        // The RedisDb belongs to the CLI context, which disposes it (and its embedded server) last.
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            host.Dispose();
        }
    }
}
