using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer;

namespace RedisFlow.Cli.Diagnostics;

/// <summary>
/// The HTTP listener of <c>redisflow serve</c> (opt-in: <c>--metrics-port</c> or <c>Serve:MetricsPort</c>; on
/// 127.0.0.1 unless <c>Serve:MetricsAddress</c> says otherwise): <c>/metrics</c> in Prometheus text,
/// <c>/healthz</c> (the process answers) and <c>/readyz</c> (Redis alive and the task source read at the last cycle).
/// </summary>
/// <remarks>
/// A host of its own beside the daemon's generic host, so the daemon keeps running (and stopping) as before, and a
/// scrape reads instruments only: nothing is sent to Redis. It starts before the daemon's first cycle, so that
/// cycle is counted, and <c>/readyz</c> says <c>starting</c> until the cycle completes.
/// </remarks>
internal sealed class ServeEndpoint : IAsyncDisposable
{
    /// <summary>The configuration key of the port (0: a free one; absent: no listener).</summary>
    public const string PortKey = "Serve:MetricsPort";

    /// <summary>The configuration key of the address (default 127.0.0.1).</summary>
    public const string AddressKey = "Serve:MetricsAddress";

    private readonly WebApplication _app;

    private ServeEndpoint(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The listener's base URL, such as <c>http://127.0.0.1:9464</c>.</summary>
    public string Url { get; }

    /// <summary>Starts the listener when a port is configured; null otherwise.</summary>
    public static async Task<ServeEndpoint?> StartAsync(IConfiguration configuration, RedisDb db, CacheDaemon daemon, CancellationToken ct)
    {
        if (!int.TryParse(configuration[PortKey], out var port))
        {
            return null;
        }

        if (port is < 0 or > 65535 || !IPAddress.TryParse(configuration[AddressKey] ?? "127.0.0.1", out var address))
        {
            throw new RedisFlowConfigurationException(PortKey, "must be a port (0-65535) with Serve:MetricsAddress an IP address");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        PrometheusMetrics.AddTo(builder.Services);
        var app = builder.Build();
        PrometheusMetrics.Map(app);
        app.MapGet("/healthz", static () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => Readiness(db, daemon));
        await app.StartAsync(ct).ConfigureAwait(false);
        return new ServeEndpoint(app, app.Urls.First());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // Not ready before the first cycle has completed, while Redis is down, or when the last cycle could not read the
    // task source. Before the first cycle it says "starting" whatever else holds, so a probe tells a daemon still on
    // its first (possibly long) cycle from one that is failing.
    private static IResult Readiness(RedisDb db, CacheDaemon daemon)
    {
        var last = daemon.LastReport;
        var problem = last is null ? "starting: the first cycle has not completed"
            : !db.IsAlive ? "redis: not connected"
            : last.TaskSourceError is { } error ? $"task source: {error.GetType().Name}"
            : null;
        return problem is null ? Results.Text("ready\n") : Results.Text(problem + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
