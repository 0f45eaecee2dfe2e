using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>Dead letters: moving a poison entry aside, listing them, and putting one back on its queue.</summary>
internal sealed partial class StreamQueue
{
    /// <summary>Moves a pending entry to the dead-letter stream (see <see cref="RedisDb.DeadLetterMsgAsync"/>); true when moved.</summary>
    public async Task<bool> DeadLetterAsync(string queue, string groupName, string msgId, string reason, bool deleteOriginal, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        ArgumentException.ThrowIfNullOrEmpty(msgId);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return await MoveToDeadLetterAsync(queue, groupName, msgId, reason, deleteOriginal, DefaultDeadLetterMaxLength, ct).ConfigureAwait(false);
    }

    /// <summary>Moves an entry <paramref name="consumer"/> holds to the dead-letter stream as its settings say; true when moved.</summary>
    public Task<bool> DeadLetterAsync(StreamConsumer consumer, string id, string reason, CancellationToken ct) =>
        MoveToDeadLetterAsync(consumer.Queue, consumer.Group, id, reason, consumer.DeleteDeadLettered, consumer.DeadLetterMaxLength, ct);

    /// <summary>Up to <paramref name="count"/> dead letters of <paramref name="queue"/>, oldest first; empty when none or on failure.</summary>
    public async Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string queue, int count, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var key = QueueKeys.DeadLetter(queue);
        var entries = await _db.ExecuteAsync(nameof(RedisDb.GetDeadLettersAsync), key, (key, count),
            static (db, s) => db.StreamRangeAsync(s.key, "-", "+", s.count), [], idempotent: true, ct).ConfigureAwait(false);
        return [.. entries.Select(ToDeadLetter)];
    }

    /// <summary>Puts a dead letter back on its queue and removes it from the dead-letter stream, atomically; the new id, or null.</summary>
    public Task<string?> RedriveAsync(string queue, string deadLetterId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(deadLetterId);
        var dead = QueueKeys.DeadLetter(queue);
        return _db.WaitsForReplicas
            ? _db.ExecuteDurablyAsync(nameof(RedisDb.RedriveDeadLetterAsync), dead, (dead, queue, deadLetterId), Redrive, static id => id is not null, null, idempotent: false, ct)
            : _db.ExecuteAsync(nameof(RedisDb.RedriveDeadLetterAsync), dead, (dead, queue, deadLetterId), Redrive, null, idempotent: false, ct);
    }

    /// <summary>The dead-letter Lua script (XADD there, XACK here, XDEL here when <paramref name="deleteOriginal"/>), logged and counted.</summary>
    private async Task<bool> MoveToDeadLetterAsync(string queue, string group, string id, string reason, bool deleteOriginal, long maxLength, CancellationToken ct)
    {
        var dead = QueueKeys.DeadLetter(queue);
        var state = (queue, dead, group, id, reason, deleteOriginal, maxLength);
        var moved = await (_db.WaitsForReplicas
            ? _db.ExecuteDurablyAsync(nameof(RedisDb.DeadLetterMsgAsync), queue, state, MoveScript, static moved => moved, false, idempotent: true, ct)
            : _db.ExecuteAsync(nameof(RedisDb.DeadLetterMsgAsync), queue, state, MoveScript, false, idempotent: true, ct)).ConfigureAwait(false);
        if (moved)
        {
            QueueLog.DeadLettered(Logger, queue, group, id, dead, reason);
            QueueMetrics.RecordDeadLettered(queue, reason);
        }

        return moved;
    }

    /// <summary>The dead-letter script; true when the entry was moved.</summary>
    private static async Task<bool> MoveScript(IDatabase db, (string Queue, string Dead, string Group, string Id, string Reason, bool DeleteOriginal, long MaxLength) s)
    {
        var result = await QueueScripts.DeadLetter.EvaluateAsync(db, [s.Queue, s.Dead],
            [s.Group, s.Id, s.Reason, s.DeleteOriginal ? "1" : "0", s.MaxLength]).ConfigureAwait(false);
        return !result.IsNull;
    }

    /// <summary>The re-drive script; the new id, or null when there was no such dead letter.</summary>
    private static async Task<string?> Redrive(IDatabase db, (string Dead, string Queue, string Id) s)
    {
        var result = await QueueScripts.Redrive.EvaluateAsync(db, [s.Dead, s.Queue], [s.Id, QueueScripts.DeadLetterMetadataPairs]).ConfigureAwait(false);
        return result.IsNull ? null : (string?)result;
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
