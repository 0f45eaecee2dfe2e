using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RedisFlow.Cli.Commands.Cache;
using RedisFlow.Cli.Diagnostics;
using RedisFlow.Dashboard;
using RedisFlow.Dashboard.Hosting;

namespace RedisFlow.Cli.Commands;

/// <summary>
/// <c>redisflow dashboard [--port 8080] [--bind 127.0.0.1] [--read-only]</c>: the web dashboard until Ctrl-C or SIGTERM.
/// Settings from the <c>Dashboard</c> section (<c>Dashboard__Token</c>, <c>Dashboard__ReadOnly</c>, queue and lock patterns);
/// the flags win. A non-loopback address without a token is exit 2, before Redis is contacted. <c>/metrics</c> answers
/// Prometheus text under the same access rules as the pages.
/// </summary>
internal static class DashboardCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port", "-p") { Description = "TCP port (default 8080, or Dashboard:Port; 0 picks a free one)" };
        var bind = new Option<string?>("--bind") { Description = "Address to listen on (default 127.0.0.1; any other needs Dashboard__Token)" };
        var readOnly = new Option<bool>("--read-only") { Description = "Show only: no requeue, re-drive, delete or evict" };
        var cert = new Option<string?>("--https-cert") { Description = "HTTPS certificate: a PEM file (with --https-key) or a .pfx (password in Dashboard__Https__Password)" };
        var key = new Option<string?>("--https-key") { Description = "PEM private key of --https-cert" };
        var command = new Command("dashboard", "Run the web dashboard: queues, pending entries and dead letters, locks, cached files, executors; stops on Ctrl-C or SIGTERM")
        {
            port, bind, readOnly, cert, key,
        };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var section = context.Configuration.GetSection(DashboardOptions.SectionName);
            var dashboard = new DashboardOptions { CacheMaxTtl = CacheKeyShape.MaxTtl(context.Configuration) };
            var server = new DashboardServerOptions();
            try
            {
                section.Bind(dashboard);
                section.Bind(server);
            }
            catch (InvalidOperationException ex)
            {
                throw new RedisFlowConfigurationException(DashboardOptions.SectionName, $"could not be read: {ex.Message}");
            }

            var https = section.GetSection("Https");
            server.CertificatePath = context.Parse.GetValue(cert) ?? https["Certificate"];
            server.CertificateKeyPath = context.Parse.GetValue(key) ?? https["Key"];
            server.CertificatePassword = https["Password"];
            server.Port = context.Parse.GetValue(port) ?? server.Port;
            server.Bind = context.Parse.GetValue(bind) ?? server.Bind;
            dashboard.ReadOnly |= context.Parse.GetValue(readOnly);
            // /metrics (Prometheus text) sits behind the dashboard's access rules: loopback only, and the bearer token
            // when one is set (a scraper sends it: Prometheus' authorization.credentials_file).
            server.ConfigureServices = PrometheusMetrics.AddTo;
            server.MapEndpoints = endpoints => PrometheusMetrics.Map(endpoints);
            _ = DashboardServer.Validate(server, dashboard);

            // The dashboard shows a Redis that is down (and recovers with it) rather than refusing to start.
            var db = await context.ConnectAsync(ct, requireAlive: false).ConfigureAwait(false);
            var verbose = context.Parse.GetValue(GlobalOptions.Verbose);
            var host = await DashboardServer.StartAsync(server, dashboard, db, logging => logging
                .AddConfiguration(context.Configuration.GetSection("Logging"))
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", verbose ? LogLevel.Information : LogLevel.Warning)
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }), ct).ConfigureAwait(false);
            await using (host.ConfigureAwait(false))
            {
                foreach (var url in host.Urls)
                {
                    await context.Out.WriteLineAsync($"Dashboard: {url}/").ConfigureAwait(false);
                }

                await context.Out.FlushAsync(ct).ConfigureAwait(false);
                try
                {
                    await host.WaitForShutdownAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Ctrl-C or SIGTERM: the normal way to stop it.
                }
            }

            return 0;
        });
        return command;
    }
}
