using System.CommandLine;
using System.Globalization;
using StackExchange.Redis;

namespace RedisFlow.Cli.Commands;

/// <summary>
/// <c>redisflow queue ack &lt;queue&gt; --group G &lt;id&gt;...</c>: acknowledges entries read earlier (XACK), so an
/// operator can read with <c>queue consume</c> (no <c>--ack</c>), keep the output safe, and only then acknowledge.
/// </summary>
internal static class QueueAckCommand
{
    public static Command Create()
    {
        var queue = QueueCliOptions.Queue();
        var group = QueueCliOptions.Group();
        var ids = new Argument<string[]>("ids") { Description = "Ids of the pending entries to acknowledge", Arity = ArgumentArity.OneOrMore };
        var command = new Command("ack", "Acknowledge pending entries by id (XACK), after their output is safe; exit 1 when some were not pending in the group") { queue, group, ids };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var name = CliNames.Queue(context.Parse.GetValue(queue));
            var groupName = CliNames.Require(context.Parse.GetValue(group), "--group");
            var values = context.Parse.GetValue(ids)!;
            foreach (var id in values)
            {
                _ = CliNames.Require(id, "an id argument");
            }

            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
            long acked;
            try
            {
                acked = await database.StreamAcknowledgeAsync(name, groupName, [.. values.Select(v => (RedisValue)v)]).WaitAsync(db.Options.OperationTimeout, ct).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.Contains("Invalid stream ID", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException("an id argument is not a stream id (such as 1718000000000-0)", CommandRunner.ConfigurationError);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
            {
                throw new CliException($"WRONGTYPE: key '{name}' is not a stream");
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or TimeoutException)
            {
                throw new CliException($"acknowledging on {name}: {await RedisCause.DescribeAsync(db, null, ct).ConfigureAwait(false)}");
            }

            if (context.Json)
            {
                await context.WriteJsonAsync(new { queue = name, group = groupName, requested = values.Length, acked }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}: acknowledged {acked} of {values.Length} in group {groupName}")).ConfigureAwait(false);
            }

            if (acked < values.Length)
            {
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"error: {values.Length - acked} of the ids were not pending in group {groupName} (already acknowledged, or never delivered)")).ConfigureAwait(false);
                return 1;
            }

            return 0;
        });
        return command;
    }
}
