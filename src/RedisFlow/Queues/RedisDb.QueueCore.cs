using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RedisFlow.Queues;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>The result of one group read: the entries, or why there are none.</summary>
internal readonly record struct QueueRead(StreamEntry[] Entries, bool Failed, bool NoGroup)
{
    public static QueueRead Fail { get; } = new([], true, false);

    public static QueueRead MissingGroup { get; } = new([], false, true);
}

public sealed partial class RedisDb
{
    /// <summary>The field RAGFlow's entries carry their JSON in.</summary>
    internal const string MessageField = "message";

    /// <summary>Approximate cap of a dead-letter stream when nothing else is configured.</summary>
    internal const long DefaultDeadLetterMaxLength = 10_000;

    private const int MaxKnownGroups = 10_000;
    private static readonly TimeSpan MaxFailedBlockWait = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<(string Queue, string Group), byte> _knownGroups = new();
    private readonly ConcurrentDictionary<string, byte> _queuesWithBacklog = new(StringComparer.Ordinal);
    private ILogger? _queueLogger;

    private ILogger QueueLogger => _queueLogger ??= LoggerFactory.CreateLogger("RedisFlow.Queues");

    /// <summary>
    /// Creates the consumer group at id 0 with MKSTREAM unless this instance already made sure of it; a
    /// concurrent creation (BUSYGROUP) counts as success. False when Redis could not answer.
    /// </summary>
    internal async Task<bool> EnsureQueueGroupAsync(string queue, string group, CancellationToken ct)
    {
        if (_knownGroups.ContainsKey((queue, group)))
        {
            return true;
        }

        var ok = await ExecuteAsync("XGROUP CREATE", queue, (queue, group), static async (db, s) =>
        {
            try
            {
                return await db.StreamCreateConsumerGroupAsync(s.queue, s.group, "0", createStream: true).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                return true;
            }
        }, false, idempotent: true, ct).ConfigureAwait(false);
        if (ok)
        {
            if (_knownGroups.Count >= MaxKnownGroups)
            {
                _knownGroups.Clear();
            }

            _knownGroups[(queue, group)] = 0;
        }

        return ok;
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> entries for a consumer. New entries (<c>&gt;</c>) with a positive
    /// <paramref name="block"/> are read blocking on <paramref name="reader"/> (or a pooled blocking connection);
    /// a pending-list position such as <c>0</c> is read at once on the main connection. With
    /// <paramref name="createGroup"/>, a missing group is created (and re-created once if it vanished).
    /// </summary>
    internal async Task<QueueRead> ReadQueueAsync(BlockingStreamReader? reader, string queue, string group, string consumer,
        string position, int count, TimeSpan block, bool createGroup, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (createGroup && !await EnsureQueueGroupAsync(queue, group, ct).ConfigureAwait(false))
            {
                return QueueRead.Fail;
            }

            QueueRead read;
            if (position == ">" && block > TimeSpan.Zero)
            {
                // Callers without a reader of their own share the pooled blocking connections, where reads queue up
                // behind one another. While the last read of this queue came back full, a read without BLOCK on
                // the shared connection answers at once; only a short answer sends the caller on to block (so an
                // idle consumer still sends one command per block).
                read = reader is null && _queuesWithBacklog.ContainsKey(queue)
                    ? await ReadAtOnceAsync(queue, group, consumer, position, count, ct).ConfigureAwait(false)
                    : default;
                if (read.Entries is not { Length: > 0 } && !read.Failed && !read.NoGroup)
                {
                    read = await ReadBlockingAsync(reader, queue, group, consumer, count, block, ct).ConfigureAwait(false);
                }

                NoteBacklog(queue, read.Entries is { } entries && entries.Length == count);
            }
            else
            {
                read = await ReadAtOnceAsync(queue, group, consumer, position, count, ct).ConfigureAwait(false);
            }

            if (!read.NoGroup || !createGroup)
            {
                return read;
            }

            // The stream or group was deleted since this instance created it.
            _knownGroups.TryRemove((queue, group), out _);
        }

        return QueueRead.MissingGroup;
    }

    private void NoteBacklog(string queue, bool full)
    {
        if (!full)
        {
            _queuesWithBacklog.TryRemove(queue, out _);
            return;
        }

        if (_queuesWithBacklog.Count >= MaxKnownGroups)
        {
            _queuesWithBacklog.Clear();
        }

        _queuesWithBacklog.TryAdd(queue, 0);
    }

    /// <summary>
    /// Turns read entries into messages. An entry without a <c>message</c> field or with one that is not JSON is
    /// moved to the dead-letter stream; a pending entry deleted from the stream is acknowledged; neither is returned.
    /// </summary>
    internal async Task<List<RedisMsg>> ToMessagesAsync(StreamEntry[] entries, string queue, string group, string consumer,
        IReadOnlyDictionary<string, long>? deliveryCounts, long defaultDeliveries, Func<RedisMsg, CancellationToken, Task<bool>>? ack,
        long deadLetterMaxLength, bool deleteDeadLettered, CancellationToken ct)
    {
        var messages = new List<RedisMsg>(entries.Length);
        foreach (var entry in entries)
        {
            var id = (string)entry.Id!;
            if (entry.Values is null || entry.Values.Length == 0)
            {
                if (await AckQueueEntriesAsync(queue, group, [id], ct).ConfigureAwait(false))
                {
                    QueueLog.DeletedEntryAcknowledged(QueueLogger, queue, group, id);
                }

                continue;
            }

            if (!TryDecode(entry.Values, out var message, out var reason))
            {
                await DeadLetterCoreAsync(queue, group, id, reason, deleteDeadLettered, deadLetterMaxLength, ct).ConfigureAwait(false);
                continue;
            }

            var deliveries = deliveryCounts is not null && deliveryCounts.TryGetValue(id, out var known) ? known : defaultDeliveries;
            messages.Add(new RedisMsg(queue, group, consumer, id, message, deliveries, ack ?? AckOneAsync));
        }

        return messages;
    }

    /// <summary>XACK of several ids in one command; true when Redis answered.</summary>
    internal Task<bool> AckQueueEntriesAsync(string queue, string group, RedisValue[] ids, CancellationToken ct) =>
        ExecuteAsync<(string Queue, string Group, RedisValue[] Ids), long, bool>("XACK", queue, (queue, group, ids), LeanCommands.XAck,
            static (db, s) => db.StreamAcknowledgeAsync(s.Queue, s.Group, s.Ids), static _ => true, false, idempotent: true, ct);

    /// <summary>Decodes the <c>message</c> field of an entry as Python-written JSON.</summary>
    internal static bool TryDecode(NameValueEntry[] fields, out JsonElement message, out string reason)
    {
        foreach (var field in fields)
        {
            if (field.Name == MessageField)
            {
                try
                {
                    message = PythonJson.Parse((byte[])field.Value!);
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

    private Task<bool> AckOneAsync(RedisMsg message, CancellationToken ct) =>
        AckQueueEntriesAsync(message.QueueName, message.GroupName, [message.Id], ct);

    private async Task<QueueRead> ReadAtOnceAsync(string queue, string group, string consumer, string position, int count, CancellationToken ct)
    {
        var result = await ExecuteAsync<(string Queue, string Group, string Consumer, string Position, int Count), QueueRead?, QueueRead?>(
            "XREADGROUP", queue, (queue, group, consumer, position, count), LeanCommands.XReadGroup, static async (db, s) =>
        {
            try
            {
                var entries = await db.StreamReadGroupAsync(s.Queue, s.Group, s.Consumer, s.Position, s.Count).ConfigureAwait(false);
                return (QueueRead?)new QueueRead(entries, false, false);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                return QueueRead.MissingGroup;
            }
        }, static read => read, null, idempotent: true, ct).ConfigureAwait(false);
        return result ?? QueueRead.Fail;
    }

    private async Task<QueueRead> ReadBlockingAsync(BlockingStreamReader? reader, string queue, string group, string consumer, int count, TimeSpan block, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var started = Stopwatch.GetTimestamp();
        var rented = reader is null;
        try
        {
            ThrowIfIdentityBlocksCalls();
            reader ??= await RentBlockingReaderAsync(ct).ConfigureAwait(false);
            var entries = await reader.ReadAsync(queue, group, consumer, count, block, UnblockClientAsync, ct).ConfigureAwait(false);
            return new QueueRead(entries, false, false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            return QueueRead.MissingGroup;
        }
        catch (Exception ex) when (IsTransient(ex) || ex is RedisServerException)
        {
            ReportFailure(null, ex); // NOPERM names the ACL rule to add
            Diagnostics.RedisFlowMetrics.RecordFailure("XREADGROUP");
            Log.OperationFailed(_logger, "XREADGROUP", queue, ex.GetType().Name, SafeMessage(ex));
            // Wait out the rest of the block, as a blocking read would, so a caller's loop does not spin while Redis is down.
            // At most 2 s: a worker's long block (20 s by default) must not delay its recovery once Redis is back.
            var left = (block < MaxFailedBlockWait ? block : MaxFailedBlockWait) - Stopwatch.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, ct).ConfigureAwait(false);
            }

            return QueueRead.Fail;
        }
        finally
        {
            if (rented && reader is not null)
            {
                await ReturnBlockingReaderAsync(reader).ConfigureAwait(false);
            }
        }
    }
}
