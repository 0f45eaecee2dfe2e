using StackExchange.Redis;

namespace RedisFlow.Dashboard.Data;

/// <summary>
/// One queue's page: its groups and consumers, the pending entries with a preview of each message, and its dead
/// letters. The actions call RedisFlow's own queue API (requeue, re-drive), the same calls as <c>redisflow queue</c>.
/// </summary>
internal sealed class QueueDetailReader(RedisDb db)
{
    private const int PreviewLength = 600;
    private const int ListLength = 100;

    public async Task<QueueDetail?> ReadAsync(string queue, CancellationToken ct)
    {
        var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
        StreamGroupInfo[] groups;
        try
        {
            groups = await database.StreamGroupInfoAsync(queue).ConfigureAwait(false);
        }
        catch (RedisServerException)
        {
            groups = [];
        }

        var length = await db.QueueLengthAsync(queue, ct).ConfigureAwait(false) ?? 0;
        var groupDetails = new List<GroupDetail>();
        foreach (var group in groups)
        {
            var consumers = await database.StreamConsumerInfoAsync(queue, group.Name).ConfigureAwait(false);
            var pending = await db.GetPendingMsgAsync(queue, group.Name, ListLength, ct).ConfigureAwait(false);
            var previews = await Task.WhenAll(pending.Select(p => PreviewAsync(database, queue, p.Id))).ConfigureAwait(false);
            groupDetails.Add(new GroupDetail(group.Name, group.PendingMessageCount, group.Lag, group.LastDeliveredId ?? "0-0",
                [.. consumers.Select(c => new ConsumerRow(c.Name, c.PendingMessageCount, c.IdleTimeInMilliseconds))],
                [.. pending.Select((p, i) => new PendingRow(p.Id, p.Consumer, (long)p.Idle.TotalMilliseconds, p.DeliveryCount, previews[i]))]));
        }

        var deadLetters = QueueSampler.DeadLetterKey(queue) is null ? [] : await db.GetDeadLettersAsync(queue, ListLength, ct).ConfigureAwait(false);
        if (groups.Length == 0 && length == 0 && deadLetters.Count == 0)
        {
            return null;
        }

        return new QueueDetail(queue, length, groupDetails,
            [.. deadLetters.Select(d => new DeadLetterRow(d.Id, d.Reason, d.SourceId, d.Group, d.Deliveries, Preview(d.Message ?? string.Join(' ', d.Fields.Select(f => $"{f.Key}={f.Value}")))))]);
    }

    /// <summary>Deletes one dead letter for good (XDEL on the queue's dead-letter stream); false when there was none.</summary>
    public async Task<bool> DeleteDeadLetterAsync(string queue, string id, CancellationToken ct)
    {
        if (QueueSampler.DeadLetterKey(queue) is not { } dead)
        {
            return false;
        }

        var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
        return await database.StreamDeleteAsync(dead, [id]).ConfigureAwait(false) > 0;
    }

    private static async Task<string?> PreviewAsync(IDatabase database, string queue, string id)
    {
        var entries = await database.StreamRangeAsync(queue, id, id, 1).ConfigureAwait(false);
        if (entries.Length == 0)
        {
            return null; // Deleted from the stream while still pending (trimmed): the page says so.
        }

        var values = entries[0].Values;
        var message = values.FirstOrDefault(v => v.Name == "message");
        return Preview(message.Name.IsNull ? string.Join(' ', values.Select(v => $"{v.Name}={v.Value}")) : (string?)message.Value);
    }

    private static string? Preview(string? text) =>
        text is null || text.Length <= PreviewLength ? text : string.Concat(text.AsSpan(0, PreviewLength), "…");
}

internal sealed record QueueDetail(string Name, long Length, IReadOnlyList<GroupDetail> Groups, IReadOnlyList<DeadLetterRow> DeadLetters);

internal sealed record GroupDetail(string Name, long Pending, long? Lag, string LastDeliveredId, IReadOnlyList<ConsumerRow> Consumers, IReadOnlyList<PendingRow> Entries);

internal sealed record ConsumerRow(string Name, long Pending, long IdleMs);

internal sealed record PendingRow(string Id, string Consumer, long IdleMs, long Deliveries, string? Preview);

internal sealed record DeadLetterRow(string Id, string Reason, string SourceId, string Group, long Deliveries, string? Preview);
