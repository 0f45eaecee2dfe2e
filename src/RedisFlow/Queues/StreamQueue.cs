using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RedisFlow.Diagnostics;
using RedisFlow.Transport;
using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>
/// The stream work queue engine, in RAGFlow's wire format: produce, read as a member of a consumer group (blocking
/// reads on connections of their own), acknowledge, pending lists, claims, dead letters, trimming and queue state.
/// One per <see cref="RedisDb"/>, whose public queue calls forward here; <see cref="QueueWorker"/> and
/// <see cref="AckBatcher"/> use it directly.
/// </summary>
/// <remarks>
/// Every command goes through the <see cref="RedisDb"/>'s execute helper, on its lean connection where the call has
/// a lean form (<see cref="StreamLeanCommands"/>), so each keeps the seed's contract: bounded by the operation
/// timeout, retried when idempotent, answered with a fallback after a warning. The failure warnings and metrics
/// name the public <see cref="RedisDb"/> method the call belongs to.
/// </remarks>
internal sealed partial class StreamQueue : IAckSink
{
    /// <summary>The field RAGFlow's entries carry their JSON in.</summary>
    public const string MessageField = "message";

    /// <summary>Approximate cap of a dead-letter stream when nothing else is configured.</summary>
    public const long DefaultDeadLetterMaxLength = 10_000;

    private readonly RedisDb _db;
    private ILogger? _logger;

    /// <param name="db">The connection every command goes through.</param>
    public StreamQueue(RedisDb db) => _db = db;

    private ILogger Logger => _logger ??= _db.LoggerFactory.CreateLogger("RedisFlow.Queues");

    /// <summary>XADD of <paramref name="message"/>'s JSON as the one field <c>message</c>; true when added (see <see cref="RedisDb.QueueProductAsync{T}"/>).</summary>
    public Task<bool> ProduceAsync<T>(string queue, T message, CancellationToken ct) =>
        ProduceAsync(queue, message, StreamLeanCommands.XAddAdded, static id => !id.IsNull, false, ct);

    /// <summary>Same as <see cref="ProduceAsync{T}(string, T, CancellationToken)"/>, answering the new entry's id (null when it failed).</summary>
    public Task<string?> ProduceWithIdAsync<T>(string queue, T message, CancellationToken ct) =>
        ProduceAsync<T, string?>(queue, message, StreamLeanCommands.XAddId, static id => id, null, ct);

    /// <summary>The state of one consumer group; null when the stream or group does not exist, or on failure.</summary>
    public Task<QueueInfo?> InfoAsync(string queue, string groupName, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        return _db.ExecuteAsync(nameof(RedisDb.QueueInfoAsync), queue, (queue, groupName), static async (db, s) =>
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

    /// <summary>XLEN (0 when missing); null on failure.</summary>
    public Task<long?> LengthAsync(string queue, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return _db.ExecuteAsync<string, long?>(nameof(RedisDb.QueueLengthAsync), queue, queue,
            static async (db, q) => await db.StreamLengthAsync(q).ConfigureAwait(false), null, idempotent: true, ct);
    }

    /// <summary>Trims below the oldest entry any group still needs, in one Lua script (see <see cref="RedisDb.TrimQueueAsync"/>); null on failure.</summary>
    public Task<QueueTrimResult?> TrimAsync(string queue, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return _db.ExecuteAsync(nameof(RedisDb.TrimQueueAsync), queue, queue, static async (db, q) =>
        {
            var result = (RedisResult[])(await QueueScripts.Trim.EvaluateAsync(db, [q], []).ConfigureAwait(false))!;
            var minId = (string?)result[1];
            return (QueueTrimResult?)new QueueTrimResult((long)result[0], string.IsNullOrEmpty(minId) ? null : minId);
        }, null, idempotent: true, ct);
    }

    private static void ValidateNames(string queue, string group, string consumer,
        [CallerArgumentExpression(nameof(queue))] string queueParameter = "",
        [CallerArgumentExpression(nameof(group))] string groupParameter = "",
        [CallerArgumentExpression(nameof(consumer))] string consumerParameter = "")
    {
        // The caller's parameter names, so that the exception names what the application passed.
        ArgumentException.ThrowIfNullOrEmpty(queue, queueParameter);
        ArgumentException.ThrowIfNullOrEmpty(group, groupParameter);
        ArgumentException.ThrowIfNullOrEmpty(consumer, consumerParameter);
        // Refuse a name whose dead-letter stream cannot share its slot now, before an entry is read: found only when a
        // poison entry arrives, it would throw in the middle of a read and leave that entry pending.
        if (QueueKeys.UntaggableProblem(queue) is { } problem)
        {
            throw new ArgumentException(problem, queueParameter);
        }
    }

    /// <summary>The XADD of both produce calls, which differ only in what they answer.</summary>
    private Task<TResult> ProduceAsync<T, TResult>(string queue, T message, LeanCall<(string Queue, byte[] Json, TraceFields Trace), TResult> lean,
        Func<RedisValue, TResult> convert, TResult fallback, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        var json = JsonSerializer.SerializeToUtf8Bytes(message, RedisFlowJson.Options);
        if (_db.WaitsForReplicas)
        {
            return ProduceDurablyAsync(queue, json, convert, fallback, ct);
        }

        return RedisFlowInstrumentation.Source.HasListeners() ? ProduceTracedAsync(queue, json, convert, ct)
            : _db.ExecuteAsync<(string Queue, byte[] Json, TraceFields Trace), RedisValue, TResult>(nameof(RedisDb.QueueProductAsync), queue, (queue, json, TraceFields.None), lean,
            static (db, s) => db.StreamAddAsync(s.Queue, MessageField, s.Json), convert, fallback, idempotent: true, ct);
    }

    /// <summary>
    /// The XADD followed by <c>WAIT</c> (<see cref="RedisDbOptions.WaitForReplicas"/>), through the multiplexer only:
    /// the lean path hands a call whose reply is late to the multiplexer, which would add the entry a second time,
    /// and a WAIT's reply is late by design when replicas lag; the thread hops the lean path saves are small next to
    /// the replication round trip WAIT waits for.
    /// </summary>
    private async Task<TResult> ProduceDurablyAsync<TResult>(string queue, byte[] json, Func<RedisValue, TResult> convert, TResult fallback, CancellationToken ct)
    {
        using var activity = StartProduceSpan(queue);
        var id = await _db.ExecuteDurablyAsync(nameof(RedisDb.QueueProductAsync), queue, (Queue: queue, Json: json, Trace: TraceFields.Of(activity)),
            static (db, s) => AddAsync(db, s.Queue, s.Json, s.Trace), static id => !id.IsNull, RedisValue.Null, idempotent: true, ct).ConfigureAwait(false);
        EndProduceSpan(activity, id.IsNull ? null : (string?)id);
        return id.IsNull ? fallback : convert(id);
    }
}
