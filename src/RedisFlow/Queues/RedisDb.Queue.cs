using System.Runtime.CompilerServices;
using System.Text.Json;
using RedisFlow.Queues;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>The seed's stream work queue: produce, consume, pending, requeue, queue info (RAGFlow's wire format).</summary>
public sealed partial class RedisDb
{
    /// <summary>How long <see cref="QueueConsumerAsync(string, string, string, string, CancellationToken)"/> waits for a new entry.</summary>
    public static readonly TimeSpan DefaultConsumerBlock = TimeSpan.FromSeconds(2);

    private const int UnackedPageSize = 100;
    private const int MaxUnackedPages = 1_000_000;
    private const int MaxPoisonSkips = 16;

    /// <summary>
    /// Adds <paramref name="message"/> to <paramref name="queue"/> as RAGFlow does (seed <c>queue_product</c>): XADD
    /// with one field <c>message</c> holding its UTF-8 JSON. True when added. Retried on a transient failure like
    /// the seed, so a reply lost in transit can add the entry twice (delivery is at least once anyway).
    /// </summary>
    public Task<bool> QueueProductAsync<T>(string queue, T message, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        var json = JsonSerializer.SerializeToUtf8Bytes(message, RedisFlowJson.Options);
        return ExecuteAsync<(string Queue, byte[] Json), RedisValue, bool>(nameof(QueueProductAsync), queue, (queue, json), LeanCommands.XAddAdded,
            static (db, s) => db.StreamAddAsync(s.Queue, MessageField, s.Json), static id => !id.IsNull, false, idempotent: true, ct);
    }

    /// <summary>Same as <see cref="QueueProductAsync{T}"/>, answering the new entry's id (null when it failed).</summary>
    public Task<string?> QueueProductWithIdAsync<T>(string queue, T message, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        var json = JsonSerializer.SerializeToUtf8Bytes(message, RedisFlowJson.Options);
        return ExecuteAsync<(string Queue, byte[] Json), RedisValue, string?>(nameof(QueueProductAsync), queue, (queue, json), LeanCommands.XAddId,
            static (db, s) => db.StreamAddAsync(s.Queue, MessageField, s.Json), static id => id, null, idempotent: true, ct);
    }

    /// <summary>
    /// Reads one entry for <paramref name="consumerName"/> (seed <c>queue_consumer</c>), creating the group at id 0
    /// with MKSTREAM when missing. With <c>&gt;</c> it waits up to <see cref="DefaultConsumerBlock"/> for a new
    /// entry on a dedicated blocking connection (so a polling caller does not spin); with an id it reads this
    /// consumer's pending entries after that id at once. Null when there is none or Redis could not answer.
    /// </summary>
    /// <remarks>
    /// An entry without a <c>message</c> field or with one that is not JSON is moved to the queue's dead-letter
    /// stream (<see cref="QueueKeys.DeadLetter"/>) and the next one is read.
    /// </remarks>
    public Task<RedisMsg?> QueueConsumerAsync(string queueName, string groupName, string consumerName, string msgId = ">", CancellationToken ct = default) =>
        QueueConsumerAsync(queueName, groupName, consumerName, DefaultConsumerBlock, msgId, ct);

    /// <summary>
    /// <see cref="QueueConsumerAsync(string, string, string, string, CancellationToken)"/> waiting at most
    /// <paramref name="block"/> for a new entry (zero: answer at once; at most 30 s).
    /// </summary>
    public async Task<RedisMsg?> QueueConsumerAsync(string queueName, string groupName, string consumerName, TimeSpan block, string msgId = ">", CancellationToken ct = default)
    {
        ValidateNames(queueName, groupName, consumerName);
        ArgumentException.ThrowIfNullOrEmpty(msgId);
        ArgumentOutOfRangeException.ThrowIfLessThan(block, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, BlockingStreamReader.MaxBlock);
        var position = msgId;
        for (var attempt = 0; attempt < MaxPoisonSkips; attempt++)
        {
            var read = await ReadQueueAsync(null, queueName, groupName, consumerName, position, 1, block, createGroup: true, ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (read.Entries.Length == 0)
            {
                return null;
            }

            var messages = await ToMessagesAsync(read.Entries, queueName, groupName, consumerName, null, 0, null, DefaultDeadLetterMaxLength, false, ct).ConfigureAwait(false);
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

    /// <summary>
    /// This consumer's delivered-but-unacknowledged entries of each queue, oldest first (seed
    /// <c>get_unacked_iterator</c>), read in pages. Queues or groups that do not exist are skipped (nothing is
    /// created). Reading a pending entry counts as a delivery, as in the seed.
    /// </summary>
    public async IAsyncEnumerable<RedisMsg> GetUnackedIteratorAsync(IReadOnlyList<string> queueNames, string groupName, string consumerName,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(queueNames);
        foreach (var queue in queueNames)
        {
            ValidateNames(queue, groupName, consumerName);
            var position = "0";
            for (var page = 0; page < MaxUnackedPages; page++)
            {
                var read = await ReadQueueAsync(null, queue, groupName, consumerName, position, UnackedPageSize, TimeSpan.Zero, createGroup: false, ct).ConfigureAwait(false);
                if (read.Entries.Length == 0)
                {
                    break;
                }

                position = (string)read.Entries[^1].Id!;
                var messages = await ToMessagesAsync(read.Entries, queue, groupName, consumerName, null, 0, null, DefaultDeadLetterMaxLength, false, ct).ConfigureAwait(false);
                foreach (var message in messages)
                {
                    yield return message;
                }
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> pending entries of the group, oldest first (seed <c>get_pending_msg</c>):
    /// id, consumer, idle time, delivery count. Empty when the stream or group does not exist, or on failure.
    /// </summary>
    public async Task<IReadOnlyList<PendingMessage>> GetPendingMsgAsync(string queue, string groupName, int count = 10, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var rows = await ExecuteAsync(nameof(GetPendingMsgAsync), queue, (queue, groupName, count), static async (db, s) =>
        {
            try
            {
                return await db.StreamPendingMessagesAsync(s.queue, s.groupName, s.count, RedisValue.Null).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                return [];
            }
        }, [], idempotent: true, ct).ConfigureAwait(false);
        return [.. rows.Select(static r => new PendingMessage((string)r.MessageId!, (string)r.ConsumerName!, TimeSpan.FromMilliseconds(r.IdleTimeInMilliseconds), r.DeliveryCount))];
    }

    /// <summary>
    /// Re-adds a pending entry's fields as a new entry at the end of the queue and acknowledges the old id, in one
    /// Lua script (seed <c>requeue_msg</c>, which did it in two commands). True when re-added; false when the entry
    /// is not pending in the group, or on failure. Not retried: a lost reply would make a retry answer false.
    /// </summary>
    public async Task<bool> RequeueMsgAsync(string queue, string groupName, string msgId, CancellationToken ct = default) =>
        await RequeueMsgWithIdAsync(queue, groupName, msgId, ct).ConfigureAwait(false) is not null;

    /// <summary>Same as <see cref="RequeueMsgAsync"/>, answering the new entry's id (null when not re-added).</summary>
    public Task<string?> RequeueMsgWithIdAsync(string queue, string groupName, string msgId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        ArgumentException.ThrowIfNullOrEmpty(msgId);
        return ExecuteAsync(nameof(RequeueMsgAsync), queue, (queue, groupName, msgId), static async (db, s) =>
        {
            var result = await QueueScripts.Requeue.EvaluateAsync(db, [s.queue], [s.groupName, s.msgId]).ConfigureAwait(false);
            return result.IsNull ? null : (string?)result;
        }, null, idempotent: false, ct);
    }

    /// <summary>
    /// The state of one consumer group (seed <c>queue_info</c>): consumers, pending, last-delivered id, entries
    /// read and lag. Null when the stream or group does not exist, or on failure.
    /// </summary>
    public Task<QueueInfo?> QueueInfoAsync(string queue, string groupName, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        return ExecuteAsync(nameof(QueueInfoAsync), queue, (queue, groupName), static async (db, s) =>
        {
            StreamGroupInfo[] groups;
            try
            {
                groups = await db.StreamGroupInfoAsync(s.queue).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            foreach (var g in groups)
            {
                if (g.Name == s.groupName)
                {
                    return new QueueInfo(g.Name, g.ConsumerCount, g.PendingMessageCount, g.LastDeliveredId ?? "0-0", g.EntriesRead, g.Lag);
                }
            }

            return (QueueInfo?)null;
        }, null, idempotent: true, ct);
    }

    /// <summary>The number of entries in <paramref name="queue"/> (XLEN; 0 when missing); null on failure.</summary>
    public Task<long?> QueueLengthAsync(string queue, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return ExecuteAsync<string, long?>(nameof(QueueLengthAsync), queue, queue,
            static async (db, q) => await db.StreamLengthAsync(q).ConfigureAwait(false), null, idempotent: true, ct);
    }

    private static void ValidateNames(string queue, string group, string consumer)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
    }
}
