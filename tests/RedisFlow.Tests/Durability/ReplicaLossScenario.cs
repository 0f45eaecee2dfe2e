using System.Globalization;
using RedisFlow.Embedded;
using RedisFlow.Testing;
using RedisFlow.Testing.Topologies;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;
using StackExchange.Redis;

namespace RedisFlow.Tests.Durability;

/// <summary>One primary and its two replicas, as started; the replicas are the candidates for promotion.</summary>
internal sealed record Shard(RedisServerProcess Primary, IReadOnlyList<RedisServerProcess> Replicas);

/// <summary>What one run saw: entries acknowledged (in all, and while replicas were stalled), refused before the kill, and acknowledged but lost.</summary>
internal sealed record LossOutcome(int Acknowledged, int AcknowledgedWhileStalled, long Refused, int Lost);

/// <summary>
/// The two runs of the replica-loss tests, each on a shard of its own: a primary is killed (SIGKILL) while 8 KiB
/// entries are produced and replicas are stalled (SIGSTOP), and the acknowledged entries the promoted replica lacks
/// are counted. Sentinel and Cluster differ only in how the shard is found.
/// </summary>
internal static class ReplicaLossScenario
{
    /// <summary>Entries that must be acknowledged while one replica lags, in the run with the option.</summary>
    public const int MinAcknowledgedWhileLagging = 150;

    /// <summary>
    /// Bytes the primary must hold unsent for each stalled replica before the control run kills it: they cannot reach
    /// a replica (only the socket buffers can), so at least this much acknowledged data is lost.
    /// </summary>
    public const long UnsentBytes = 1024 * 1024;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// With <see cref="RedisDbOptions.WaitForReplicas"/> 1 on <paramref name="durable"/>: the second replica is stalled,
    /// produces keep being acknowledged (the first replica confirms them), the primary is killed, and the healthy
    /// replica (the stalled one cannot be elected) takes over with every acknowledged entry.
    /// </summary>
    public static async Task<LossOutcome> DurableRunAsync(RedisDb durable, string queue, Shard shard, CancellationToken ct)
    {
        var producer = new LargeEntryProducer(durable, queue);
        await WarmUpAsync(producer, shard, ct);
        var (healthy, lagging) = (shard.Replicas[0], shard.Replicas[1]);
        var before = producer.Acknowledged.Count;
        var refusedWhileLagging = 0L;
        await using (await StalledServer.StallAsync(lagging, ct))
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var running = producer.RunAsync(2, stop.Token);
            try
            {
                await Poll.UntilAsync(() => producer.Acknowledged.Count - before >= MinAcknowledgedWhileLagging, Bound,
                    $"{MinAcknowledgedWhileLagging} durable produces acknowledged while a replica lags", ct);
                var (offset, acknowledged) = await ReplicationState.OffsetsAsync(shard.Primary, ct);
                var lag = offset - acknowledged[lagging.Port];
                Assert.True(lag >= MinAcknowledgedWhileLagging * LargeEntryProducer.PayloadBytes, $"the stalled replica is only {lag} bytes behind");
                refusedWhileLagging = producer.Refused;
                await shard.Primary.KillAsync();
            }
            finally
            {
                await stop.CancelAsync();
                await running;
            }

            // Kept stopped until the healthy replica is promoted: the test decides which one takes over.
            await PromotedAsync([healthy], ct);
        }

        var whileLagging = producer.Acknowledged.Count - before;
        return new LossOutcome(producer.Acknowledged.Count, whileLagging, refusedWhileLagging, await CountLostAsync(durable, queue, producer, ct));
    }

    /// <summary>
    /// Without the option (<paramref name="plain"/>): both replicas are stalled, so writes stay on the primary only,
    /// and produces are acknowledged until the primary holds <see cref="UnsentBytes"/> unsent for each replica; it is
    /// killed and the replicas resumed. <paramref name="durable"/> (the option on) must never be acknowledged meanwhile.
    /// </summary>
    public static async Task<LossOutcome> ControlRunAsync(RedisDb plain, RedisDb durable, string queue, Shard shard, CancellationToken ct)
    {
        var producer = new LargeEntryProducer(plain, queue);
        await WarmUpAsync(producer, shard, ct);
        var before = producer.Acknowledged.Count;
        var refusedWhileStalled = 0L;
        var stalls = new List<StalledServer>();
        try
        {
            foreach (var replica in shard.Replicas)
            {
                stalls.Add(await StalledServer.StallAsync(replica, ct));
            }

            var refused = new LargeEntryProducer(durable, queue);
            Assert.False(await refused.ProduceAsync(), "a durable produce was acknowledged with every replica stalled");
            Assert.False(await refused.ProduceAsync(), "a durable produce was acknowledged with every replica stalled");

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var running = producer.RunAsync(2, stop.Token);
            try
            {
                await Poll.UntilAsync(async () => await ReplicationState.SmallestUnsentAsync(shard.Primary, ct) >= UnsentBytes, Bound,
                    $"the primary to hold {UnsentBytes} bytes unsent for each stalled replica", ct);
            }
            finally
            {
                await stop.CancelAsync();
                await running;
            }

            refusedWhileStalled = producer.Refused;
            await shard.Primary.KillAsync();
        }
        finally
        {
            foreach (var stall in stalls)
            {
                await stall.DisposeAsync();
            }
        }

        await PromotedAsync(shard.Replicas, ct);
        var whileStalled = producer.Acknowledged.Count - before;
        return new LossOutcome(producer.Acknowledged.Count, whileStalled, refusedWhileStalled, await CountLostAsync(plain, queue, producer, ct));
    }

    /// <summary>Prints (and appends to <c>REDISFLOW_TEST_REPORT</c>) one line for a run.</summary>
    public static void Report(string topology, bool withOption, LossOutcome outcome)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"DURABILITY {topology} {(withOption ? "with WaitForReplicas=1, one replica stalled" : "without WaitForReplicas (control), both replicas stalled")}: " +
            $"{outcome.Acknowledged} entries acknowledged ({outcome.AcknowledgedWhileStalled} while stalled), {outcome.Refused} answered false before the kill, " +
            $"{outcome.Lost} acknowledged entries lost after failover");
        TestReport.Write(line);
    }

    /// <summary>A few entries with every replica healthy, all acknowledged, then waits until both replicas hold them.</summary>
    private static async Task WarmUpAsync(LargeEntryProducer producer, Shard shard, CancellationToken ct)
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.True(await producer.ProduceAsync(), "a produce failed with every replica healthy");
        }

        await ReplicationState.CaughtUpAsync(shard.Primary, shard.Replicas.Count, ct);
    }

    /// <summary>Waits until one of <paramref name="candidates"/> says it is a primary.</summary>
    private static Task PromotedAsync(IReadOnlyList<RedisServerProcess> candidates, CancellationToken ct) =>
        Poll.UntilAsync(async () =>
        {
            foreach (var candidate in candidates)
            {
                if (Resp.InfoField(await candidate.SendRawAsync(ct, "INFO", "replication"), "role") == "master")
                {
                    return true;
                }
            }

            return false;
        }, Bound, "a replica to be promoted", ct);

    /// <summary>The acknowledged entries the new primary's stream lacks (read once the client follows the promotion).</summary>
    private static async Task<int> CountLostAsync(RedisDb db, string queue, LargeEntryProducer producer, CancellationToken ct)
    {
        HashSet<int>? inStream = null;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                inStream = await ClusterQueueFailoverTests.StreamNumbersAsync(db, queue, CommandFlags.DemandMaster);
                return true;
            }
            catch (RedisException)
            {
                return false;
            }
        }, Bound, "the stream to be readable on the new primary", ct);
        return producer.Acknowledged.Count(n => !inStream!.Contains(n));
    }
}
