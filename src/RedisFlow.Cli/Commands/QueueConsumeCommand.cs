using System.CommandLine;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow queue consume &lt;queue&gt; --group G --consumer C [--count N] [--ack] [--block ms]</c>.</summary>
internal static class QueueConsumeCommand
{
    public static Command Create()
    {
        var queue = QueueCliOptions.Queue();
        var group = QueueCliOptions.Group();
        var consumer = new Option<string>("--consumer", "-c") { Description = "Consumer name", Required = true };
        var count = QueueCliOptions.Count(1, "Entries to read at most");
        var ack = new Option<bool>("--ack") { Description = "Acknowledge each entry after printing it (else it stays pending)" };
        var block = new Option<int>("--block") { Description = "Milliseconds to wait for a new entry when none is there (0: do not wait)", DefaultValueFactory = _ => 0 };
        var command = new Command("consume", "Read entries for a consumer (group created when missing); prints one JSON object per line: id and message")
        {
            queue, group, consumer, count, ack, block,
        };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var n = context.Parse.GetValue(count);
            var wait = context.Parse.GetValue(block);
            if (n < 1 || wait < 0 || wait > 30_000)
            {
                throw new CliException("--count must be at least 1 and --block from 0 to 30000", CommandRunner.ConfigurationError);
            }

            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++)
            {
                var message = await db.QueueConsumerAsync(context.Parse.GetValue(queue)!, context.Parse.GetValue(group)!, context.Parse.GetValue(consumer)!,
                    TimeSpan.FromMilliseconds(wait), ct: ct).ConfigureAwait(false);
                if (message is null)
                {
                    break;
                }

                var acked = context.Parse.GetValue(ack) && await message.AckAsync(ct).ConfigureAwait(false);
                await context.WriteJsonAsync(new { id = message.GetMsgId(), message = message.GetMessage(), acked }).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
