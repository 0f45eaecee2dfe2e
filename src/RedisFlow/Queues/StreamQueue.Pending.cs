using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>Pending lists: listing, requeueing, and the claim and keep-alive calls the worker is built on.</summary>
internal sealed partial class StreamQueue
{
    /// <summary>Up to <paramref name="count"/> pending entries of the group, oldest first; empty when there is no such group, or on failure.</summary>
    public async Task<IReadOnlyList<PendingMessage>> PendingAsync(string queue, string groupName, int count, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var rows = await _db.ExecuteAsync(nameof(RedisDb.GetPendingMsgAsync), queue, (queue, groupName, count), static async (db, s) =>
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

    /// <summary>Re-adds a pending entry at the end of the queue and acknowledges the old id; true when re-added.</summary>
    public async Task<bool> RequeueAsync(string queue, string groupName, string msgId, CancellationToken ct) =>
        await RequeueWithIdAsync(queue, groupName, msgId, ct).ConfigureAwait(false) is not null;

    /// <summary>Same as <see cref="RequeueAsync"/>, answering the new entry's id (null when not re-added). Not retried.</summary>
    public Task<string?> RequeueWithIdAsync(string queue, string groupName, string msgId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        ArgumentException.ThrowIfNullOrEmpty(msgId);
        return _db.WaitsForReplicas
            ? _db.ExecuteDurablyAsync(nameof(RedisDb.RequeueMsgAsync), queue, (queue, groupName, msgId), Requeue, static id => id is not null, null, idempotent: false, ct)
            : _db.ExecuteAsync(nameof(RedisDb.RequeueMsgAsync), queue, (queue, groupName, msgId), Requeue, null, idempotent: false, ct);
    }

    /// <summary>The requeue script; null when the entry was not pending.</summary>
    private static async Task<string?> Requeue(IDatabase db, (string Queue, string Group, string Id) s)
    {
        var result = await QueueScripts.Requeue.EvaluateAsync(db, [s.Queue], [s.Group, s.Id]).ConfigureAwait(false);
        return result.IsNull ? null : (string?)result;
    }

    /// <summary>Resets the idle time of entries the consumer still owns; answers the ids it no longer owns (null on failure).</summary>
    public Task<string[]?> KeepAliveAsync(StreamConsumer consumer, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var args = new RedisValue[ids.Count + 2];
        args[0] = consumer.Group;
        args[1] = consumer.Consumer;
        var i = 2;
        foreach (var id in ids)
        {
            args[i++] = id;
        }

        return _db.ExecuteAsync("KeepAlive", consumer.Queue, (queue: consumer.Queue, args), static async (db, s) =>
        {
            var result = await QueueScripts.KeepAlive.EvaluateAsync(db, [s.queue], s.args).ConfigureAwait(false);
            return (string[]?)result;
        }, null, idempotent: true, ct);
    }

    /// <summary>Delivery counts of the consumer's pending entries between two ids (XPENDING with a consumer filter); null on failure.</summary>
    public async Task<Dictionary<string, long>?> DeliveryCountsAsync(StreamConsumer consumer, string minId, string maxId, int count, CancellationToken ct)
    {
        var rows = await _db.ExecuteAsync(nameof(DeliveryCountsAsync), consumer.Queue,
            (queue: consumer.Queue, group: consumer.Group, consumer: consumer.Consumer, minId, maxId, count), static async (db, s) =>
        {
            try
            {
                return await db.StreamPendingMessagesAsync(s.queue, s.group, s.count, s.consumer, s.minId, s.maxId).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                return [];
            }
        }, null, idempotent: true, ct).ConfigureAwait(false);
        return rows?.ToDictionary(static r => (string)r.MessageId!, static r => (long)r.DeliveryCount, StringComparer.Ordinal);
    }
}
