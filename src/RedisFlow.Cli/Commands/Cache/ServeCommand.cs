using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RedisFlow.CacheServer;
using RedisFlow.Cli.Diagnostics;
using RedisFlow.Configuration.Ragflow;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary>
/// <c>redisflow serve</c>: the file-cache daemon, until Ctrl-C, SIGTERM or SIGHUP (there is nothing to reload:
/// SIGHUP stops it like SIGTERM, so a daemon whose terminal closed does not run on unseen).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the file-cache daemon: cache the files of ongoing documents in Redis (sections Redis, TaskSource, Storage, Cache); stops on Ctrl-C, SIGTERM or SIGHUP");
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Serve /metrics (Prometheus), /healthz and /readyz on this port (or Serve:MetricsPort; 127.0.0.1 unless Serve:MetricsAddress; 0 picks a free one)" };
        var logFormat = new Option<string?>("--log-format") { Description = "Console log format: simple (default) or json (one JSON object a line; or Logging:Console:FormatterName)" };
        command.Options.Add(CacheDefaults.DataFolder);
        command.Options.Add(metricsPort);
        command.Options.Add(logFormat);
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            // A password service_conf.yaml keeps encrypted, and no explicit setting supplied: say so before starting.
            RagflowSettings.ThrowIfUnresolved(context.Configuration);
            var configuration = ServeSettings.With(CacheDefaults.WithDefaults(context.Configuration, CacheDefaults.DataFolderOf(context.Parse)),
                context.Parse.GetValue(metricsPort), context.Parse.GetValue(logFormat));
            // The metrics listener starts before the daemon's first cycle, so what that cycle caches is counted and
            // /readyz answers "starting" meanwhile; it stops after the daemon.
            ServeEndpoint? endpoint = null;
            try
            {
                var host = await CacheHost.StartAsync(context, configuration, quiet: false, ct,
                    beforeConnect: () => ServeChecks.SqliteDatabaseExists(context.Configuration, configuration),
                    beforeStart: async services =>
                    {
                        endpoint = await ServeEndpoint.StartAsync(configuration, services.GetRequiredService<RedisDb>(), services.GetRequiredService<CacheDaemon>(), ct).ConfigureAwait(false);
                        if (endpoint is not null)
                        {
                            await context.Out.WriteLineAsync($"Metrics: {endpoint.Url}{PrometheusMetrics.Path}").ConfigureAwait(false);
                            await context.Out.FlushAsync(ct).ConfigureAwait(false);
                        }
                    }).ConfigureAwait(false);
                await using (host.ConfigureAwait(false))
                {
                    // A signal (SIGTERM, SIGINT, SIGHUP) is the normal way to stop a daemon: it stops the host, exit 0.
                    using var stop = ct.Register(host.RequestStop);
                    await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                if (endpoint is not null)
                {
                    await endpoint.DisposeAsync().ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }
}
