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
            var name = CliNames.Queue(context.Parse.GetValue(queue));
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var mark = context.Failures.Count;
            var result = await db.TrimQueueAsync(name, ct).ConfigureAwait(false);
            await context.ThrowIfFailedSinceAsync(mark, $"could not trim {name}", ct).ConfigureAwait(false);
            if (result is null)
            {
                throw new CliException($"could not trim {name}: Redis did not answer");
            }
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
