using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>One blocking XREADGROUP over several queues, for a worker serving them in priority order.</summary>
internal sealed partial class StreamQueue
{
    /// <summary>Whether the deployment is a Redis Cluster, where one command may only name keys of one hash slot.</summary>
    public bool IsCluster => _db.IsCluster;

    /// <summary>
    /// Reads new entries of every consumer's queue in one blocking XREADGROUP (<c>STREAMS q1 q2 &gt; &gt;</c>, up to
    /// <paramref name="countPerQueue"/> each; same group and consumer, and on Cluster the same hash slot), creating
    /// missing groups first. Answers each queue's entries in the order given; null when the read failed.
    /// </summary>
    public async Task<StreamEntry[][]?> ReadManyAsync(IReadOnlyList<StreamConsumer> consumers, BlockingStreamReader reader, int countPerQueue,
        TimeSpan block, CancellationToken ct)
    {
        var queues = consumers.Select(static c => c.Queue).ToArray();
        var (group, consumer) = (consumers[0].Group, consumers[0].Consumer);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            foreach (var queue in queues)
            {
                if (!await EnsureGroupAsync(queue, group, ct).ConfigureAwait(false))
                {
                    return null;
                }
            }

            var (entries, status) = await BlockingCallAsync(reader, queues[0], block,
                r => r.ReadAsync(queues, group, consumer, countPerQueue, block, UnblockClientAsync, ct), ct).ConfigureAwait(false);
            if (status != BlockingStatus.NoGroup)
            {
                return entries;
            }

            // A stream or group was deleted since this instance created it: create them again, once.
            foreach (var queue in queues)
            {
                _knownGroups.TryRemove((queue, group), out _);
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="items"/> grouped for multi-stream reads, order kept: all in one group, except on Redis Cluster,
    /// where one command may only name keys of one hash slot (CROSSSLOT otherwise): there, one group per slot.
    /// </summary>
    public T[][] GroupBySlot<T>(IReadOnlyList<T> items, Func<T, string> queue) =>
        !IsCluster || items.Count == 1
            ? [[.. items]]
            : [.. items.GroupBy(i => Cluster.RedisHashSlot.Of(queue(i))).Select(static g => g.ToArray())];

    /// <summary>
    /// One blocking read per group of <see cref="GroupBySlot"/> (each on its reader of <paramref name="readers"/>),
    /// sent together. The first to come back with entries (or failing) ends the others early (CLIENT UNBLOCK); their
    /// replies are still awaited, so entries delivered meanwhile are kept. Per group, its queues' entries as
    /// <see cref="ReadManyAsync"/> answers them (null when that read failed).
    /// </summary>
    public async Task<StreamEntry[][]?[]> ReadSlotGroupsAsync(StreamConsumer[][] groups, BlockingStreamReader[] readers, int countPerQueue,
        TimeSpan block, CancellationToken ct)
    {
        if (groups.Length == 1)
        {
            return [await ReadManyAsync(groups[0], readers[0], countPerQueue, block, ct).ConfigureAwait(false)];
        }

        using var first = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = new Task<StreamEntry[][]?>[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            tasks[g] = ReadUntilEndedAsync(groups[g], readers[g], countPerQueue, block, first.Token, ct);
        }

        // Each turn retires one read, and each read is bounded by its block: at most one turn per group.
        var pending = tasks.ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (await done.ConfigureAwait(false) is not { } entries || entries.Any(static e => e.Length > 0))
            {
                await first.CancelAsync().ConfigureAwait(false);
            }
        }

        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>One group's read; ended early by <paramref name="ended"/> without throwing (unless <paramref name="ct"/> fired).</summary>
    private async Task<StreamEntry[][]?> ReadUntilEndedAsync(StreamConsumer[] consumers, BlockingStreamReader reader, int countPerQueue, TimeSpan block,
        CancellationToken ended, CancellationToken ct)
    {
        try
        {
            return await ReadManyAsync(consumers, reader, countPerQueue, block, ended).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return [.. consumers.Select(static _ => Array.Empty<StreamEntry>())];
        }
    }
}
