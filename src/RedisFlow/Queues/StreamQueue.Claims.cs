using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>
/// Claims in two steps, so the owner of an idle entry can be looked at before taking it: XPENDING with IDLE lists the
/// idle entries and their consumers, XCLAIM takes the chosen ones (XAUTOCLAIM would take them blindly).
/// </summary>
internal sealed partial class StreamQueue
{
    /// <summary>
    /// Up to <paramref name="count"/> pending entries of the group idle for at least <paramref name="minIdle"/>, from
    /// <paramref name="start"/> (an id, <c>(id</c> for after it, or <c>-</c>), oldest first. Empty for a missing
    /// group; null on failure.
    /// </summary>
    public Task<PendingMessage[]?> IdlePendingAsync(StreamConsumer consumer, TimeSpan minIdle, string start, int count, CancellationToken ct) =>
        _db.ExecuteAsync(nameof(IdlePendingAsync), consumer.Queue,
            (queue: consumer.Queue, group: consumer.Group, minIdle: (long)minIdle.TotalMilliseconds, start, count), static async (db, s) =>
        {
            // The typed call, not ExecuteAsync: StackExchange.Redis sends a SELECT before every ad-hoc command, which
            // would double what an idle worker's claim pass costs.
            StreamPendingMessageInfo[] rows;
            try
            {
                rows = await db.StreamPendingMessagesAsync(s.queue, s.group, s.count, RedisValue.Null, s.start, "+", s.minIdle).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                return (PendingMessage[]?)[];
            }

            return [.. rows.Select(static r => new PendingMessage((string)r.MessageId!, (string)r.ConsumerName!, TimeSpan.FromMilliseconds(r.IdleTimeInMilliseconds), r.DeliveryCount))];
        }, null, idempotent: true, ct);

    /// <summary>
    /// XCLAIM of <paramref name="ids"/> for <paramref name="consumer"/>, each only if still idle for at least
    /// <paramref name="minIdle"/> (another worker may have taken it since it was listed). Answers the entries taken
    /// (an entry deleted from the stream comes back without fields, or not at all); null on failure.
    /// </summary>
    public Task<StreamEntry[]?> ClaimAsync(StreamConsumer consumer, TimeSpan minIdle, RedisValue[] ids, CancellationToken ct) =>
        _db.ExecuteAsync(nameof(ClaimAsync), consumer.Queue,
            (queue: consumer.Queue, group: consumer.Group, consumer: consumer.Consumer, minIdle: (long)minIdle.TotalMilliseconds, ids), static async (db, s) =>
        {
            try
            {
                return (StreamEntry[]?)await db.StreamClaimAsync(s.queue, s.group, s.consumer, s.minIdle, s.ids).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                return [];
            }
        }, null, idempotent: false, ct);
}
