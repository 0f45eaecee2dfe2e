using System.Runtime.CompilerServices;
using System.Text.Json;
using RedisFlow.Diagnostics;
using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>The seed's consume calls, and the step every consumer shares: read entries become messages, poison ones dead letters.</summary>
internal sealed partial class StreamQueue
{
    private const int UnackedPageSize = 100;
    private const int MaxUnackedPages = 1_000_000;
    private const int MaxPoisonSkips = 16;

    /// <summary>One entry for a consumer, skipping poison ones (see <see cref="RedisDb.QueueConsumerAsync(string, string, string, TimeSpan, string, CancellationToken)"/>).</summary>
    public async Task<RedisMsg?> ConsumeAsync(string queueName, string groupName, string consumerName, TimeSpan block, string msgId, CancellationToken ct)
    {
        ValidateNames(queueName, groupName, consumerName);
        ArgumentException.ThrowIfNullOrEmpty(msgId);
        ArgumentOutOfRangeException.ThrowIfLessThan(block, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, BlockingStreamReader.MaxBlock);
        var consumer = new StreamConsumer(queueName, groupName, consumerName, this);
        var position = msgId;
        for (var attempt = 0; attempt < MaxPoisonSkips; attempt++)
        {
            var read = await ReadAsync(consumer, null, position, 1, block, createGroup: true, ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (read.Entries.Length == 0)
            {
                return null;
            }

            var messages = await ToMessagesAsync(consumer, read.Entries, null, 0, ct).ConfigureAwait(false);
            if (messages.Count > 0)
            {
                return messages[0];
            }

            if (position != ">")
            {
                position = (string)read.Entries[0].Id!;
            }
        }

        return null;
    }

    /// <summary>This consumer's pending entries of each queue, oldest first, in pages (see <see cref="RedisDb.GetUnackedIteratorAsync"/>).</summary>
    public async IAsyncEnumerable<RedisMsg> UnackedAsync(IReadOnlyList<string> queueNames, string groupName, string consumerName,
        [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(queueNames);
        foreach (var queue in queueNames)
        {
            ValidateNames(queue, groupName, consumerName);
            var consumer = new StreamConsumer(queue, groupName, consumerName, this);
            var position = "0";
            for (var page = 0; page < MaxUnackedPages; page++)
            {
                var read = await ReadAsync(consumer, null, position, UnackedPageSize, TimeSpan.Zero, createGroup: false, ct).ConfigureAwait(false);
                if (read.Entries.Length == 0)
                {
                    break;
                }

                position = (string)read.Entries[^1].Id!;
                var messages = await ToMessagesAsync(consumer, read.Entries, null, 0, ct).ConfigureAwait(false);
                foreach (var message in messages)
                {
                    yield return message;
                }
            }
        }
    }

    /// <summary>
    /// Turns entries read by <paramref name="consumer"/> into messages that acknowledge through its sink. An entry
    /// without a <c>message</c> field or with one that is not JSON is moved to the dead-letter stream; a pending entry
    /// deleted from the stream is acknowledged; neither is returned. A <c>message</c> above
    /// <see cref="RedisDbOptions.MaxMessageBytes"/> is dead-lettered too. A message's delivery count is its entry's in
    /// <paramref name="deliveryCounts"/>, else <paramref name="defaultDeliveries"/>.
    /// </summary>
    public async Task<List<RedisMsg>> ToMessagesAsync(StreamConsumer consumer, StreamEntry[] entries,
        IReadOnlyDictionary<string, long>? deliveryCounts, long defaultDeliveries, CancellationToken ct)
    {
        var messages = new List<RedisMsg>(entries.Length);
        foreach (var entry in entries)
        {
            var id = (string)entry.Id!;
            if (entry.Values is null || entry.Values.Length == 0)
            {
                if (await AckAsync(consumer.Queue, consumer.Group, [id], ct).ConfigureAwait(false))
                {
                    QueueLog.DeletedEntryAcknowledged(Logger, consumer.Queue, consumer.Group, id);
                }

                continue;
            }

            if (!TryDecode(entry.Values, _db.Options.MaxMessageBytes, out var message, out var reason))
            {
                await DeadLetterAsync(consumer, id, reason, ct).ConfigureAwait(false);
                continue;
            }

            var deliveries = deliveryCounts is not null && deliveryCounts.TryGetValue(id, out var known) ? known : defaultDeliveries;
            messages.Add(new RedisMsg(consumer, id, message, deliveries)
            {
                Trace = RedisFlowInstrumentation.Source.HasListeners() ? TraceFields.Read(entry.Values) : TraceFields.None,
            });
        }

        return messages;
    }

    /// <summary>XACK of several ids in one command; true when Redis answered.</summary>
    public Task<bool> AckAsync(string queue, string group, RedisValue[] ids, CancellationToken ct) =>
        _db.ExecuteAsync<(string Queue, string Group, RedisValue[] Ids), long, bool>("XACK", queue, (queue, group, ids), StreamLeanCommands.XAck,
            static (db, s) => db.StreamAcknowledgeAsync(s.Queue, s.Group, s.Ids), static _ => true, false, idempotent: true, ct);

    /// <summary>The seed's messages acknowledge one by one, each with its own XACK.</summary>
    Task<bool> IAckSink.AckAsync(RedisMsg message, CancellationToken ct) =>
        AckAsync(message.QueueName, message.GroupName, [message.Id], ct);

    /// <summary>Decodes the <c>message</c> field of an entry as Python-written JSON of at most <paramref name="maxBytes"/> bytes.</summary>
    public static bool TryDecode(NameValueEntry[] fields, long maxBytes, out JsonElement message, out string reason)
    {
        foreach (var field in fields)
        {
            if (field.Name == MessageField)
            {
                var bytes = (byte[]?)field.Value ?? [];
                if (bytes.LongLength > maxBytes)
                {
                    message = default;
                    reason = DeadLetterReasons.MessageTooLarge;
                    return false;
                }

                try
                {
                    message = PythonJson.Parse(bytes);
                    reason = string.Empty;
                    return true;
                }
                catch (JsonException)
                {
                    message = default;
                    reason = DeadLetterReasons.InvalidJson;
                    return false;
                }
            }
        }

        message = default;
        reason = DeadLetterReasons.MissingMessage;
        return false;
    }
}
