using System.CommandLine;
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
        command.Options.Add(CacheDefaults.DataFolder);
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            // A password service_conf.yaml keeps encrypted, and no explicit setting supplied: say so before starting.
            RagflowSettings.ThrowIfUnresolved(context.Configuration);
            var configuration = CacheDefaults.WithDefaults(context.Configuration, CacheDefaults.DataFolderOf(context.Parse));
            var host = await CacheHost.StartAsync(context, configuration, quiet: false, ct,
                beforeConnect: () => ServeChecks.SqliteDatabaseExists(context.Configuration, configuration)).ConfigureAwait(false);
            await using (host.ConfigureAwait(false))
            {
                // A signal (SIGTERM, SIGINT, SIGHUP) is the normal way to stop a daemon: it stops the host, exit 0.
                using var stop = ct.Register(host.RequestStop);
                await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
