using System.CommandLine;
using RedisFlow.Queues;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow queue dead-letters &lt;queue&gt; [--redrive ID ...] [--redrive-all]</c>: lists or re-drives dead letters.</summary>
internal static class QueueDeadLettersCommand
{
    public static Command Create()
    {
        var queue = QueueCliOptions.Queue();
        var count = QueueCliOptions.Count(100, "Dead letters to list (or re-drive with --redrive-all) at most");
        var redrive = new Option<string[]>("--redrive") { Description = "Dead-letter id to put back on the queue (repeatable)", AllowMultipleArgumentsPerToken = true };
        var redriveAll = new Option<bool>("--redrive-all") { Description = "Put every listed dead letter back on the queue" };
        var command = new Command("dead-letters", "List a queue's dead letters (reason, origin, message), or put them back on the queue")
        {
            queue, count, redrive, redriveAll,
        };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var n = context.Parse.GetValue(count);
            if (n < 1)
            {
                throw new CliException("--count must be at least 1", CommandRunner.ConfigurationError);
            }

            var name = CliNames.Queue(context.Parse.GetValue(queue));
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var mark = context.Failures.Count;
            var ids = context.Parse.GetValue(redrive) ?? [];
            if (context.Parse.GetValue(redriveAll))
            {
                ids = [.. (await db.GetDeadLettersAsync(name, n, ct).ConfigureAwait(false)).Select(d => d.Id)];
                await context.ThrowIfFailedSinceAsync(mark, $"reading the dead letters of {name}", ct).ConfigureAwait(false);
            }

            if (ids.Length > 0)
            {
                var failed = 0;
                foreach (var id in ids)
                {
                    var newId = await db.RedriveDeadLetterAsync(name, id, ct).ConfigureAwait(false);
                    await context.ThrowIfFailedSinceAsync(mark, $"re-driving {id} on {name}", ct).ConfigureAwait(false);
                    failed += newId is null ? 1 : 0;
                    if (context.Json)
                    {
                        await context.WriteJsonAsync(new { dead_letter_id = id, new_id = newId, redriven = newId is not null }).ConfigureAwait(false);
                    }
                    else
                    {
                        await context.Out.WriteLineAsync(newId is null ? $"{id}: no such dead letter" : $"{id} -> {name} {newId}").ConfigureAwait(false);
                    }
                }

                return failed == 0 ? 0 : 1;
            }

            var deadLetters = await db.GetDeadLettersAsync(name, n, ct).ConfigureAwait(false);
            await context.ThrowIfFailedSinceAsync(mark, $"reading the dead letters of {name}", ct).ConfigureAwait(false);
            foreach (var dead in deadLetters)
            {
                if (context.Json)
                {
                    await context.WriteJsonAsync(new { id = dead.Id, reason = dead.Reason, source_id = dead.SourceId, group = dead.Group, deliveries = dead.Deliveries, message = dead.Message }).ConfigureAwait(false);
                }
                else
                {
                    await context.Out.WriteLineAsync($"{dead.Id}  {dead.Reason}  from {dead.SourceId} ({dead.Group}, {dead.Deliveries} deliveries)  {dead.Message}").ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }
}
