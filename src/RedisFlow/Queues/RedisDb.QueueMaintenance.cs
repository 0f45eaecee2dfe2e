using RedisFlow.Queues;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>Dead letters, re-driving, trimming, and the claim/keep-alive calls the worker is built on.</summary>
public sealed partial class RedisDb
{
    /// <summary>
    /// Moves a pending entry to the queue's dead-letter stream with <paramref name="reason"/>, atomically (one Lua
    /// script: XADD there, XACK here, and XDEL here when <paramref name="deleteOriginal"/>). True when moved; false
    /// when it is not pending in the group (already acknowledged) or on failure.
    /// </summary>
    public async Task<bool> DeadLetterMsgAsync(string queue, string groupName, string msgId, string reason, bool deleteOriginal = false, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        ArgumentException.ThrowIfNullOrEmpty(msgId);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return await DeadLetterCoreAsync(queue, groupName, msgId, reason, deleteOriginal, DefaultDeadLetterMaxLength, ct).ConfigureAwait(false);
    }

    /// <summary>Up to <paramref name="count"/> dead letters of <paramref name="queue"/>, oldest first; empty when none or on failure.</summary>
    public async Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string queue, int count = 100, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var key = QueueKeys.DeadLetter(queue);
        var entries = await ExecuteAsync(nameof(GetDeadLettersAsync), key, (key, count),
            static (db, s) => db.StreamRangeAsync(s.key, "-", "+", s.count), [], idempotent: true, ct).ConfigureAwait(false);
        return [.. entries.Select(ToDeadLetter)];
    }

    /// <summary>
    /// Puts a dead letter back on its queue as a new entry (original fields only) and removes it from the
    /// dead-letter stream, atomically. The new id; null when there is no such dead letter or on failure.
    /// </summary>
    public Task<string?> RedriveDeadLetterAsync(string queue, string deadLetterId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deadLetterId);
        var dead = QueueKeys.DeadLetter(queue);
        return ExecuteAsync(nameof(RedriveDeadLetterAsync), dead, (dead, queue, deadLetterId), static async (db, s) =>
        {
            var result = await QueueScripts.Redrive.EvaluateAsync(db, [s.dead, s.queue], [s.deadLetterId, QueueScripts.DeadLetterMetadataPairs]).ConfigureAwait(false);
            return result.IsNull ? null : (string?)result;
        }, null, idempotent: false, ct);
    }

    /// <summary>
    /// Trims <paramref name="queue"/> below the oldest entry any consumer group still needs (its oldest pending
    /// entry, and the entries after its last-delivered id), in one Lua script: XTRIM MINID never drops an entry a
    /// group has not acknowledged. A stream without groups is left whole. Null on failure.
    /// </summary>
    public Task<QueueTrimResult?> TrimQueueAsync(string queue, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return ExecuteAsync(nameof(TrimQueueAsync), queue, queue, static async (db, q) =>
        {
            var result = (RedisResult[])(await QueueScripts.Trim.EvaluateAsync(db, [q], []).ConfigureAwait(false))!;
            var minId = (string?)result[1];
            return (QueueTrimResult?)new QueueTrimResult((long)result[0], string.IsNullOrEmpty(minId) ? null : minId);
        }, null, idempotent: true, ct);
    }

    internal async Task<bool> DeadLetterCoreAsync(string queue, string group, string id, string reason, bool deleteOriginal, long maxLength, CancellationToken ct)
    {
        var dead = QueueKeys.DeadLetter(queue);
        var moved = await ExecuteAsync(nameof(DeadLetterMsgAsync), queue, (queue, dead, group, id, reason, deleteOriginal, maxLength), static async (db, s) =>
        {
            var result = await QueueScripts.DeadLetter.EvaluateAsync(db, [s.queue, s.dead],
                [s.group, s.id, s.reason, s.deleteOriginal ? "1" : "0", s.maxLength]).ConfigureAwait(false);
            return !result.IsNull;
        }, false, idempotent: true, ct).ConfigureAwait(false);
        if (moved)
        {
            QueueLog.DeadLettered(QueueLogger, queue, group, id, dead, reason);
            QueueMetrics.RecordDeadLettered(queue, reason);
        }

        return moved;
    }

    /// <summary>Resets the idle time of entries the consumer still owns; answers the ids it no longer owns (null on failure).</summary>
    internal Task<string[]?> KeepAliveAsync(string queue, string group, string consumer, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var args = new RedisValue[ids.Count + 2];
        args[0] = group;
        args[1] = consumer;
        var i = 2;
        foreach (var id in ids)
        {
            args[i++] = id;
        }

        return ExecuteAsync("KeepAlive", queue, (queue, args), static async (db, s) =>
        {
            var result = await QueueScripts.KeepAlive.EvaluateAsync(db, [s.queue], s.args).ConfigureAwait(false);
            return (string[]?)result;
        }, null, idempotent: true, ct);
    }

    /// <summary>
    /// XAUTOCLAIM: takes up to <paramref name="count"/> entries idle for at least <paramref name="minIdle"/> from
    /// any consumer of the group, starting at <paramref name="cursor"/>. Null on failure.
    /// </summary>
    internal Task<StreamAutoClaimResult?> AutoClaimAsync(string queue, string group, string consumer, TimeSpan minIdle, string cursor, int count, CancellationToken ct) =>
        ExecuteAsync(nameof(AutoClaimAsync), queue, (queue, group, consumer, minIdle: (long)minIdle.TotalMilliseconds, cursor, count), static async (db, s) =>
        {
            try
            {
                return (StreamAutoClaimResult?)await db.StreamAutoClaimAsync(s.queue, s.group, s.consumer, s.minIdle, s.cursor, s.count).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                return StreamAutoClaimResult.Null;
            }
        }, null, idempotent: false, ct);

    /// <summary>Delivery counts of this consumer's pending entries between two ids (XPENDING with a consumer filter).</summary>
    internal async Task<Dictionary<string, long>?> DeliveryCountsAsync(string queue, string group, string consumer, string minId, string maxId, int count, CancellationToken ct)
    {
        var rows = await ExecuteAsync(nameof(DeliveryCountsAsync), queue, (queue, group, consumer, minId, maxId, count), static async (db, s) =>
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

    private static DeadLetter ToDeadLetter(StreamEntry entry)
    {
        var values = entry.Values ?? [];
        string reason = string.Empty, source = string.Empty, group = string.Empty;
        long deliveries = 0;
        var metadata = Math.Min(QueueScripts.DeadLetterMetadataPairs, values.Length);
        for (var i = 0; i < metadata; i++)
        {
            switch ((string?)values[i].Name)
            {
                case "dead_reason": reason = (string?)values[i].Value ?? string.Empty; break;
                case "dead_source_id": source = (string?)values[i].Value ?? string.Empty; break;
                case "dead_group": group = (string?)values[i].Value ?? string.Empty; break;
                case "dead_deliveries": deliveries = (long)values[i].Value; break;
            }
        }

        var fields = values.Skip(metadata).Select(static v => new KeyValuePair<string, string>((string)v.Name!, (string?)v.Value ?? string.Empty)).ToList();
        var message = fields.FirstOrDefault(static f => f.Key == MessageField).Value;
        return new DeadLetter((string)entry.Id!, reason, source, group, deliveries, message, fields);
    }
}
