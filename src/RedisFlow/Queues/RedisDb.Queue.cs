using RedisFlow.Queues;

namespace RedisFlow;

/// <summary>
/// The seed's stream work queue: produce, consume, pending, requeue, dead letters, trimming, queue info (RAGFlow's
/// wire format). Each call forwards to the queue engine, <see cref="StreamQueue"/>.
/// </summary>
public sealed partial class RedisDb
{
    /// <summary>How long <see cref="QueueConsumerAsync(string, string, string, string, CancellationToken)"/> waits for a new entry.</summary>
    public static readonly TimeSpan DefaultConsumerBlock = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Adds <paramref name="message"/> to <paramref name="queue"/> as RAGFlow does (seed <c>queue_product</c>): XADD
    /// with one field <c>message</c> holding its UTF-8 JSON. True when added. Retried on a transient failure like
    /// the seed, so a reply lost in transit can add the entry twice (delivery is at least once anyway).
    /// </summary>
    public Task<bool> QueueProductAsync<T>(string queue, T message, CancellationToken ct = default) =>
        Queue.ProduceAsync(queue, message, ct);

    /// <summary>Same as <see cref="QueueProductAsync{T}"/>, answering the new entry's id (null when it failed).</summary>
    public Task<string?> QueueProductWithIdAsync<T>(string queue, T message, CancellationToken ct = default) =>
        Queue.ProduceWithIdAsync(queue, message, ct);

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
    public Task<RedisMsg?> QueueConsumerAsync(string queueName, string groupName, string consumerName, TimeSpan block, string msgId = ">", CancellationToken ct = default) =>
        Queue.ConsumeAsync(queueName, groupName, consumerName, block, msgId, ct);

    /// <summary>
    /// Reads a new entry from the highest-priority queue of <paramref name="queueNames"/> (highest first) that has
    /// one, as RAGFlow's task executor reads <c>te.1.common</c> before <c>te.0.common</c>; groups are created when
    /// missing. While every queue is empty it waits up to <paramref name="block"/> (at most 30 s) on all of them with
    /// one blocking XREADGROUP (on Redis Cluster, one per hash slot, sent together). Usually one entry or none; when
    /// entries reach several queues in the same instant the wait returns one of each, highest priority first, all
    /// delivered to this consumer. Empty when there is none or Redis could not answer.
    /// </summary>
    public Task<IReadOnlyList<RedisMsg>> QueueConsumerFirstAsync(IReadOnlyList<string> queueNames, string groupName, string consumerName, TimeSpan block,
        CancellationToken ct = default) =>
        Queue.ConsumeFirstAsync(queueNames, groupName, consumerName, block, ct);

    /// <summary>
    /// This consumer's delivered-but-unacknowledged entries of each queue, in the order of
    /// <paramref name="queueNames"/> (a priority list: highest first), oldest first within a queue (seed
    /// <c>get_unacked_iterator</c>), read in pages. Queues or groups that do not exist are skipped (nothing is
    /// created). Reading a pending entry counts as a delivery, as in the seed.
    /// </summary>
    public IAsyncEnumerable<RedisMsg> GetUnackedIteratorAsync(IReadOnlyList<string> queueNames, string groupName, string consumerName, CancellationToken ct = default) =>
        Queue.UnackedAsync(queueNames, groupName, consumerName, ct);

    /// <summary>
    /// Up to <paramref name="count"/> pending entries of the group, oldest first (seed <c>get_pending_msg</c>):
    /// id, consumer, idle time, delivery count. Empty when the stream or group does not exist, or on failure.
    /// </summary>
    public Task<IReadOnlyList<PendingMessage>> GetPendingMsgAsync(string queue, string groupName, int count = 10, CancellationToken ct = default) =>
        Queue.PendingAsync(queue, groupName, count, ct);

    /// <summary>
    /// Re-adds a pending entry's fields as a new entry at the end of the queue and acknowledges the old id, in one
    /// Lua script (seed <c>requeue_msg</c>, which did it in two commands). True when re-added; false when the entry
    /// is not pending in the group, or on failure. Not retried: a lost reply would make a retry answer false.
    /// </summary>
    public Task<bool> RequeueMsgAsync(string queue, string groupName, string msgId, CancellationToken ct = default) =>
        Queue.RequeueAsync(queue, groupName, msgId, ct);

    /// <summary>Same as <see cref="RequeueMsgAsync"/>, answering the new entry's id (null when not re-added).</summary>
    public Task<string?> RequeueMsgWithIdAsync(string queue, string groupName, string msgId, CancellationToken ct = default) =>
        Queue.RequeueWithIdAsync(queue, groupName, msgId, ct);

    /// <summary>
    /// The state of one consumer group (seed <c>queue_info</c>): consumers, pending, last-delivered id, entries
    /// read and lag. Null when the stream or group does not exist, or on failure.
    /// </summary>
    public Task<QueueInfo?> QueueInfoAsync(string queue, string groupName, CancellationToken ct = default) =>
        Queue.InfoAsync(queue, groupName, ct);

    /// <summary>The number of entries in <paramref name="queue"/> (XLEN; 0 when missing); null on failure.</summary>
    public Task<long?> QueueLengthAsync(string queue, CancellationToken ct = default) =>
        Queue.LengthAsync(queue, ct);

    /// <summary>
    /// Moves a pending entry to the queue's dead-letter stream with <paramref name="reason"/>, atomically (one Lua
    /// script: XADD there, XACK here, and XDEL here when <paramref name="deleteOriginal"/>). True when moved; false
    /// when it is not pending in the group (already acknowledged) or on failure.
    /// </summary>
    public Task<bool> DeadLetterMsgAsync(string queue, string groupName, string msgId, string reason, bool deleteOriginal = false, CancellationToken ct = default) =>
        Queue.DeadLetterAsync(queue, groupName, msgId, reason, deleteOriginal, ct);

    /// <summary>Up to <paramref name="count"/> dead letters of <paramref name="queue"/>, oldest first; empty when none or on failure.</summary>
    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string queue, int count = 100, CancellationToken ct = default) =>
        Queue.GetDeadLettersAsync(queue, count, ct);

    /// <summary>
    /// Puts a dead letter back on its queue as a new entry (original fields only) and removes it from the
    /// dead-letter stream, atomically. The new id; null when there is no such dead letter or on failure.
    /// </summary>
    public Task<string?> RedriveDeadLetterAsync(string queue, string deadLetterId, CancellationToken ct = default) =>
        Queue.RedriveAsync(queue, deadLetterId, ct);

    /// <summary>
    /// Trims <paramref name="queue"/> below the oldest entry any consumer group still needs (its oldest pending
    /// entry, and the entries after its last-delivered id), in one Lua script: XTRIM MINID never drops an entry a
    /// group has not acknowledged. A stream without groups is left whole. Null on failure.
    /// </summary>
    public Task<QueueTrimResult?> TrimQueueAsync(string queue, CancellationToken ct = default) =>
        Queue.TrimAsync(queue, ct);
}
