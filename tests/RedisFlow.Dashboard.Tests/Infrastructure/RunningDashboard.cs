using RedisFlow.Dashboard.Hosting;

namespace RedisFlow.Dashboard.Tests.Infrastructure;

/// <summary>A <see cref="DashboardServer"/> on a free loopback port (or the given address) for one test or fixture.</summary>
public sealed class RunningDashboard : IAsyncDisposable
{
    private RunningDashboard(DashboardServer server, DashboardOptions options)
    {
        Server = server;
        Options = options;
        BaseUrl = server.Urls[0].TrimEnd('/') + "/";
        Port = new Uri(BaseUrl).Port;
    }

    public DashboardServer Server { get; }

    public DashboardOptions Options { get; }

    /// <summary>The root of the dashboard, ending in a slash.</summary>
    public string BaseUrl { get; }

    public int Port { get; }

    public static async Task<RunningDashboard> StartAsync(RedisDb db, Action<DashboardOptions>? configure = null, string bind = "127.0.0.1")
    {
        // Fast sampling so throughput and new queues show up within a test's patience.
        var options = new DashboardOptions { SampleInterval = TimeSpan.FromMilliseconds(250) };
        configure?.Invoke(options);
        var server = await DashboardServer.StartAsync(new DashboardServerOptions { Bind = bind, Port = 0 }, options, db, ct: TestContext.Current.CancellationToken);
        return new RunningDashboard(server, options);
    }

    public HttpClient Client(bool cookies = false) =>
        new(new HttpClientHandler { UseCookies = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
