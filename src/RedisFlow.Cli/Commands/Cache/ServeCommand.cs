using System.CommandLine;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary><c>redisflow serve</c>: the file-cache daemon, until Ctrl-C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the file-cache daemon: cache the files of ongoing documents in Redis (sections Redis, TaskSource, Storage, Cache)");
        command.Options.Add(CacheDefaults.DataFolder);
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var configuration = CacheDefaults.WithDefaults(context.Configuration, CacheDefaults.DataFolderOf(context.Parse));
            var host = await CacheHost.StartAsync(context, configuration, quiet: false, ct).ConfigureAwait(false);
            await using (host.ConfigureAwait(false))
            {
                await host.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
