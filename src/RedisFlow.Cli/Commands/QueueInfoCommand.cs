using System.CommandLine;
using RedisFlow.Queues;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow queue info &lt;queue&gt; --group G</c>: the group's state, the stream length and the dead-letter count.</summary>
internal static class QueueInfoCommand
{
    public static Command Create()
    {
        var queue = QueueCliOptions.Queue();
        var group = QueueCliOptions.Group();
        var command = new Command("info", "Show a consumer group: consumers, pending, last-delivered id, entries read, lag; plus length and dead letters") { queue, group };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var name = CliNames.Queue(context.Parse.GetValue(queue));
            var groupName = CliNames.Require(context.Parse.GetValue(group), "--group");
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var mark = context.Failures.Count;
            var info = await db.QueueInfoAsync(name, groupName, ct).ConfigureAwait(false);
            await context.ThrowIfFailedSinceAsync(mark, $"reading {name}", ct).ConfigureAwait(false);
            if (info is null)
            {
                await context.Error.WriteLineAsync($"error: no group {groupName} on queue {name}").ConfigureAwait(false);
                return 1;
            }

            var length = await db.QueueLengthAsync(name, ct).ConfigureAwait(false);
            var dead = await db.QueueLengthAsync(QueueKeys.DeadLetter(name), ct).ConfigureAwait(false);
            await context.ThrowIfFailedSinceAsync(mark, $"reading {name}", ct).ConfigureAwait(false);
            if (context.Json)
            {
                await context.WriteJsonAsync(new { queue = name, length, dead_letters = dead, group = info }).ConfigureAwait(false);
                return 0;
            }

            foreach (var (label, value) in new (string, object?)[]
                     {
                         ("queue", name), ("length", length), ("dead_letters", dead), ("group", info.Name), ("consumers", info.Consumers),
                         ("pending", info.Pending), ("last_delivered_id", info.LastDeliveredId), ("entries_read", info.EntriesRead), ("lag", info.Lag),
                     })
            {
                await context.Out.WriteLineAsync($"{label,-20}{value?.ToString() ?? "?"}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
