using System.CommandLine;
using System.Globalization;

namespace RedisFlow.Cli.Commands;

/// <summary>
/// <c>redisflow queue consume &lt;queue&gt;... --group G --consumer C [--count N] [--ack]</c>: reads entries for a
/// consumer and prints one JSON object per line (<c>queue</c>, <c>id</c>, <c>message</c>). Several queues are read in
/// the order given, highest priority first, as RAGFlow's task executor reads <c>te.1.common</c> before
/// <c>te.0.common</c>: each read takes from the highest queue that has an entry.
/// </summary>
/// <remarks>
/// With <c>--ack</c> an entry is acknowledged only after its line was written and flushed to standard output; a
/// write error (the reader closed the pipe) stops the command before that ack, with exit 1, so the entry and
/// every later one stay with this consumer (pending, read again with <c>--pending</c>, or claimed by another
/// consumer after their idle time). A pipe holds what was written, so this guards against a reader that is gone,
/// not against one that read the line and then lost it: to be sure, read without <c>--ack</c> and run
/// <c>queue ack</c> once the entries are safe.
/// </remarks>
internal static class QueueConsumeCommand
{
    /// <summary>Consecutive reads that deliver nothing while the group still has undelivered entries (all dead-lettered).</summary>
    private const int MaxEmptyReads = 10_000;

    public static Command Create()
    {
        var queue = new Argument<string[]>("queue")
        {
            Description = "Queue (stream) names in priority order, highest first (for example te.1.common te.0.common)",
            Arity = ArgumentArity.OneOrMore,
        };
        var group = QueueCliOptions.Group();
        var consumer = new Option<string>("--consumer", "-c") { Description = "Consumer name within the group", Required = true };
        var count = QueueCliOptions.Count(1, "Entries to deliver (print) at most; entries dead-lettered on the way do not count");
        var ack = new Option<bool>("--ack")
        {
            Description = "Acknowledge each entry after its line was written and flushed (a closed pipe stops the command, exit 1, and the entry stays pending). " +
                "A pipe buffers lines: a reader that discards them is not detected; to be sure, consume without --ack and run 'queue ack' after",
        };
        var pending = new Option<bool>("--pending") { Description = "Read this consumer's pending (delivered, unacknowledged) entries again, oldest first, instead of new ones" };
        var block = new Option<int>("--block") { Description = "Milliseconds to wait for a new entry when none is there (0: do not wait; at most 30000)", DefaultValueFactory = _ => 0 };
        var command = new Command("consume", "Read entries for a consumer (group created when missing); prints one JSON object per line: queue, id, message. Acks and a summary go to standard error")
        {
            queue, group, consumer, count, ack, pending, block,
        };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var n = context.Parse.GetValue(count);
            var wait = context.Parse.GetValue(block);
            if (n < 1)
            {
                throw new CliException("--count must be at least 1", CommandRunner.ConfigurationError);
            }

            if (wait is < 0 or > 30_000)
            {
                throw new CliException("--block must be from 0 to 30000 (milliseconds)", CommandRunner.ConfigurationError);
            }

            var names = (context.Parse.GetValue(queue) ?? []).Select(CliNames.Queue).ToArray();
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            {
                throw new CliException("a queue is named twice", CommandRunner.ConfigurationError);
            }

            var name = string.Join(",", names);
            var groupName = CliNames.Require(context.Parse.GetValue(group), "--group");
            var consumerName = CliNames.Require(context.Parse.GetValue(consumer), "--consumer");
            var acking = context.Parse.GetValue(ack);
            var fromPending = context.Parse.GetValue(pending);
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var output = new EntryOutput();
            await using (output.ConfigureAwait(false))
            {
                var delivered = 0;
                var acked = 0;
                var reads = new EntrySource(db, names, groupName, consumerName, fromPending, TimeSpan.FromMilliseconds(wait));
                for (var empty = 0; delivered < n && empty < MaxEmptyReads;)
                {
                    var mark = context.Failures.Count;
                    var message = await reads.NextAsync(ct).ConfigureAwait(false);
                    await context.ThrowIfFailedSinceAsync(mark, $"reading {name}", ct).ConfigureAwait(false);
                    if (message is null)
                    {
                        // Null also means "only dead-lettered entries in this read": go on while the group has undelivered ones.
                        if (fromPending || !await HasUndeliveredAsync(context, db, names, groupName, ct).ConfigureAwait(false))
                        {
                            break;
                        }

                        empty++;
                        continue;
                    }

                    empty = 0;
                    if (!await output.TryWriteLineAsync(message.QueueName, message.Id, message.GetMessage(), ct).ConfigureAwait(false))
                    {
                        await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"error: writing entry {message.Id} to standard output failed (the reader closed the pipe): stopped after {delivered} delivered entries ({acked} acknowledged); {message.Id} stays pending for consumer {consumerName}")).ConfigureAwait(false);
                        return 1;
                    }

                    delivered++;
                    if (acking)
                    {
                        mark = context.Failures.Count;
                        if (!await message.AckAsync(ct).ConfigureAwait(false))
                        {
                            await context.ThrowIfFailedSinceAsync(mark, $"entry {message.Id} was printed but could not be acknowledged (it stays pending)", ct).ConfigureAwait(false);
                            throw new CliException($"entry {message.Id} was printed but could not be acknowledged (it stays pending)");
                        }

                        acked++;
                    }
                }

                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: delivered {delivered}, acknowledged {acked}{(acking || delivered == 0 ? string.Empty : " (pending until 'queue ack')")}")).ConfigureAwait(false);
                foreach (var left in reads.Unprinted)
                {
                    await context.Error.WriteLineAsync($"{left.QueueName}: entry {left.Id} was delivered in the same read but not printed (--count reached): it stays pending for consumer {consumerName}; read it with --pending").ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }

    private static async Task<bool> HasUndeliveredAsync(CliContext context, RedisDb db, string[] queues, string group, CancellationToken ct)
    {
        foreach (var queue in queues)
        {
            var mark = context.Failures.Count;
            var info = await db.QueueInfoAsync(queue, group, ct).ConfigureAwait(false);
            await context.ThrowIfFailedSinceAsync(mark, $"reading {queue}", ct).ConfigureAwait(false);
            if (info?.Lag > 0)
            {
                return true;
            }
        }

        return false;
    }
}
