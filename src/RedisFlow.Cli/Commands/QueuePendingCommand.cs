using System.CommandLine;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow queue pending &lt;queue&gt; --group G [--count N]</c>: delivered-but-unacknowledged entries.</summary>
internal static class QueuePendingCommand
{
    public static Command Create()
    {
        var queue = QueueCliOptions.Queue();
        var group = QueueCliOptions.Group();
        var count = QueueCliOptions.Count(10, "Rows to show at most");
        var command = new Command("pending", "List pending entries, oldest first: id, consumer, idle time, deliveries") { queue, group, count };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var n = context.Parse.GetValue(count);
            if (n < 1)
            {
                throw new CliException("--count must be at least 1", CommandRunner.ConfigurationError);
            }

            var name = CliNames.Queue(context.Parse.GetValue(queue));
            var groupName = CliNames.Require(context.Parse.GetValue(group), "--group");
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var mark = context.Failures.Count;
            var rows = await db.GetPendingMsgAsync(name, groupName, n, ct).ConfigureAwait(false);
            await context.ThrowIfFailedSinceAsync(mark, $"reading the pending entries of {name}", ct).ConfigureAwait(false);
            foreach (var row in rows)
            {
                if (context.Json)
                {
                    await context.WriteJsonAsync(new { id = row.Id, consumer = row.Consumer, idle_ms = (long)row.Idle.TotalMilliseconds, deliveries = row.DeliveryCount }).ConfigureAwait(false);
                }
                else
                {
                    await context.Out.WriteLineAsync($"{row.Id,-22}{row.Consumer,-30}idle {row.Idle.TotalSeconds,8:0.0} s  deliveries {row.DeliveryCount}").ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }
}
