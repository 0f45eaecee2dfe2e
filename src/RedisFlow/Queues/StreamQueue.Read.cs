using System.Collections.Concurrent;
using System.Diagnostics;
using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>XREADGROUP: the group created on demand, new entries read blocking or (during a backlog) at once, pending ones at once.</summary>
internal sealed partial class StreamQueue
{
    private const int MaxKnownGroups = 10_000;
    private static readonly TimeSpan MaxFailedBlockWait = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<(string Queue, string Group), byte> _knownGroups = new();
    private readonly ConcurrentDictionary<string, byte> _queuesWithBacklog = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates the consumer group at id 0 with MKSTREAM unless this instance already made sure of it; a
    /// concurrent creation (BUSYGROUP) counts as success. False when Redis could not answer.
    /// </summary>
    public async Task<bool> EnsureGroupAsync(string queue, string group, CancellationToken ct)
    {
        if (_knownGroups.ContainsKey((queue, group)))
        {
            return true;
        }

        var ok = await _db.ExecuteAsync("XGROUP CREATE", queue, (queue, group), static async (db, s) =>
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
    /// Reads up to <paramref name="count"/> entries for <paramref name="consumer"/>. New entries (<c>&gt;</c>) with a
    /// positive <paramref name="block"/> are read blocking on <paramref name="reader"/> (or a pooled blocking
    /// connection); a pending-list position such as <c>0</c> is read at once on the main connection. With
    /// <paramref name="createGroup"/>, a missing group is created (and re-created once if it vanished).
    /// </summary>
    public async Task<QueueRead> ReadAsync(StreamConsumer consumer, BlockingStreamReader? reader, string position, int count, TimeSpan block,
        bool createGroup, CancellationToken ct)
    {
        var (queue, group) = (consumer.Queue, consumer.Group);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (createGroup && !await EnsureGroupAsync(queue, group, ct).ConfigureAwait(false))
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
                    ? await ReadAtOnceAsync(consumer, position, count, ct).ConfigureAwait(false)
                    : default;
                if (read.Entries is not { Length: > 0 } && !read.Failed && !read.NoGroup)
                {
                    read = await ReadBlockingAsync(reader, consumer, count, block, ct).ConfigureAwait(false);
                }

                NoteBacklog(queue, read.Entries is { } entries && entries.Length == count);
            }
            else
            {
                read = await ReadAtOnceAsync(consumer, position, count, ct).ConfigureAwait(false);
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

    private async Task<QueueRead> ReadAtOnceAsync(StreamConsumer consumer, string position, int count, CancellationToken ct)
    {
        var result = await _db.ExecuteAsync<(string Queue, string Group, string Consumer, string Position, int Count), QueueRead?, QueueRead?>(
            "XREADGROUP", consumer.Queue, (consumer.Queue, consumer.Group, consumer.Consumer, position, count), StreamLeanCommands.XReadGroup, static async (db, s) =>
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

    private async Task<QueueRead> ReadBlockingAsync(BlockingStreamReader? reader, StreamConsumer consumer, int count, TimeSpan block, CancellationToken ct)
    {
        var (entries, status) = await BlockingCallAsync(reader, consumer.Queue, block,
            r => r.ReadAsync(consumer.Queue, consumer.Group, consumer.Consumer, count, block, UnblockClientAsync, ct), ct).ConfigureAwait(false);
        return status switch
        {
            BlockingStatus.Ok => new QueueRead(entries!, false, false),
            BlockingStatus.NoGroup => QueueRead.MissingGroup,
            _ => QueueRead.Fail,
        };
    }

    /// <summary>
    /// Runs one blocking read on <paramref name="reader"/> (or a pooled connection): NOGROUP is reported as such; a
    /// failure is reported to the <see cref="RedisDb"/> and, like a blocking read, waits out the rest of the block (at
    /// most 2 s), so a caller's loop does not spin while Redis is down and recovers soon once it is back.
    /// </summary>
    private async Task<(T? Result, BlockingStatus Status)> BlockingCallAsync<T>(BlockingStreamReader? reader, string queue, TimeSpan block,
        Func<BlockingStreamReader, Task<T>> read, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_db.IsDisposed, _db);
        var started = Stopwatch.GetTimestamp();
        var rented = reader is null;
        try
        {
            _db.ThrowIfIdentityBlocksCalls();
            reader ??= await RentReaderAsync(ct).ConfigureAwait(false);
            return (await read(reader).ConfigureAwait(false), BlockingStatus.Ok);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            return (default, BlockingStatus.NoGroup);
        }
        catch (Exception ex) when (RedisDb.IsTransient(ex) || ex is RedisServerException)
        {
            _db.ReportFailedCall("XREADGROUP", queue, ex);
            var left = (block < MaxFailedBlockWait ? block : MaxFailedBlockWait) - Stopwatch.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, ct).ConfigureAwait(false);
            }

            return (default, BlockingStatus.Failed);
        }
        finally
        {
            if (rented && reader is not null)
            {
                await ReturnReaderAsync(reader).ConfigureAwait(false);
            }
        }
    }

    private enum BlockingStatus
    {
        Ok,
        Failed,
        NoGroup,
    }
}
