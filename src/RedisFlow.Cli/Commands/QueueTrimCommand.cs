using System.CommandLine;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow queue trim &lt;queue&gt;</c>: drops entries every consumer group has acknowledged.</summary>
internal static class QueueTrimCommand
{
    public static Command Create()
    {
        var queue = QueueCliOptions.Queue();
        var command = new Command("trim", "Drop the entries every consumer group has acknowledged (never a pending or undelivered one)") { queue };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var name = context.Parse.GetValue(queue)!;
            var result = await db.TrimQueueAsync(name, ct).ConfigureAwait(false) ?? throw new CliException($"could not trim {name}: Redis did not answer (see the warning above)");
            if (context.Json)
            {
                await context.WriteJsonAsync(new { queue = name, deleted = result.Deleted, min_id = result.MinId }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(result.MinId is null ? $"{name}: nothing to trim" : $"{name}: trimmed {result.Deleted} entries below {result.MinId}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
