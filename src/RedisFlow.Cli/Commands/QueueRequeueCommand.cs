using System.CommandLine;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow queue requeue &lt;queue&gt; --group G &lt;id&gt;</c>: re-adds a pending entry and acks the old id atomically.</summary>
internal static class QueueRequeueCommand
{
    public static Command Create()
    {
        var queue = QueueCliOptions.Queue();
        var group = QueueCliOptions.Group();
        var id = new Argument<string>("id") { Description = "Id of the pending entry" };
        var command = new Command("requeue", "Re-add a pending entry at the end of the queue and acknowledge the old id, in one step") { queue, group, id };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var name = CliNames.Queue(context.Parse.GetValue(queue));
            var groupName = CliNames.Require(context.Parse.GetValue(group), "--group");
            var old = CliNames.Require(context.Parse.GetValue(id), "the id argument");
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var mark = context.Failures.Count;
            var newId = await db.RequeueMsgWithIdAsync(name, groupName, old, ct).ConfigureAwait(false);
            await context.ThrowIfFailedSinceAsync(mark, $"requeueing {old} on {name}", ct).ConfigureAwait(false);
            if (context.Json)
            {
                await context.WriteJsonAsync(new { old_id = old, new_id = newId, requeued = newId is not null }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(newId ?? $"not requeued: {old} is not pending in the group").ConfigureAwait(false);
            }

            return newId is null ? 1 : 0;
        });
        return command;
    }
}
