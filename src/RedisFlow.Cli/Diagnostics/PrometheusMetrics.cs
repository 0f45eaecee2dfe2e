using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using RedisFlow.OpenTelemetry;

namespace RedisFlow.Cli.Diagnostics;

/// <summary>
/// <c>/metrics</c> in Prometheus text, for the CLI's web hosts (<c>serve --metrics-port</c>, <c>dashboard</c>): a meter
/// provider subscribed to every RedisFlow meter, with OpenTelemetry's Prometheus exporter.
/// </summary>
/// <remarks>The exporter is a beta package, so it lives in this host and never in a library package.</remarks>
internal static class PrometheusMetrics
{
    /// <summary>The path of the scraping endpoint.</summary>
    public const string Path = "/metrics";

    /// <summary>Registers the meter provider; it starts listening when the web host starts.</summary>
    /// <remarks>
    /// No response cache: the exporter's default answers any scrape within 300 ms of another with the earlier body, so
    /// a count recorded in between was missing (a test scraping before and right after a cycle saw 0). Collecting
    /// these few instruments per scrape costs nothing worth caching.
    /// </remarks>
    public static void AddTo(IServiceCollection services) =>
        services.AddOpenTelemetry().WithMetrics(m => m.AddRedisFlowInstrumentation().AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));

    /// <summary>Maps <see cref="Path"/> on <paramref name="endpoints"/> (a group's filters apply to it).</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints) => endpoints.MapPrometheusScrapingEndpoint(Path);
}
