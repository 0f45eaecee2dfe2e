using RedisFlow.Testing;
using RedisFlow.Testing.Topologies;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Durability;

/// <summary>
/// A Cluster with two replicas per primary: with <see cref="RedisDbOptions.WaitForReplicas"/> 1 no acknowledged
/// entry is lost when a queue's primary dies while one of its replicas lags; the control run without it, on another
/// primary of the same cluster, loses some.
/// </summary>
public sealed class ClusterReplicaLossTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_WaitForReplicas_no_acknowledged_entry_is_lost_and_without_it_some_are()
    {
        await using var cluster = await ClusterTopology.StartAsync(2, Ct);
        await using var durable = await RedisDb.ConnectAsync(cluster.Options(o => o.WaitForReplicas = 1), ct: Ct);
        await using var plain = await RedisDb.ConnectAsync(cluster.Options(), ct: Ct);
        await using var refusing = await RedisDb.ConnectAsync(cluster.Options(o =>
        {
            o.WaitForReplicas = 1;
            o.WaitForReplicasTimeout = TimeSpan.FromMilliseconds(300);
        }), ct: Ct);

        // Two queues on two different primaries, so each run kills a shard of its own.
        var durableQueue = "durable:" + Guid.NewGuid().ToString("N")[..8];
        var durablePrimary = await ClusterQueueFailoverTests.PrimaryOwningAsync(cluster, durable, durableQueue);
        string? controlQueue = null;
        for (var i = 0; i < 100 && controlQueue is null; i++)
        {
            var candidate = "control:" + Guid.NewGuid().ToString("N")[..8];
            if (await ClusterQueueFailoverTests.PrimaryOwningAsync(cluster, plain, candidate) != durablePrimary)
            {
                controlQueue = candidate;
            }
        }

        Assert.NotNull(controlQueue);
        var durableShard = await ShardOfAsync(cluster, durablePrimary);
        var controlShard = await ShardOfAsync(cluster, await ClusterQueueFailoverTests.PrimaryOwningAsync(cluster, plain, controlQueue));

        var durableOutcome = await ReplicaLossScenario.DurableRunAsync(durable, durableQueue, durableShard, Ct);
        await cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30), Ct);
        var control = await ReplicaLossScenario.ControlRunAsync(plain, refusing, controlQueue, controlShard, Ct);

        ReplicaLossScenario.Report("Cluster", withOption: true, durableOutcome);
        ReplicaLossScenario.Report("Cluster", withOption: false, control);
        Assert.Equal(0, durableOutcome.Lost);
        Assert.True(control.Lost > 0, "the control run lost nothing: the test cannot tell a loss from none");
    }

    /// <summary>The primary on <paramref name="port"/> and the two replicas it reports, once both are attached.</summary>
    private static async Task<Shard> ShardOfAsync(ClusterTopology cluster, int port)
    {
        var primary = cluster.Nodes.Single(n => n.Port == port);
        Dictionary<int, long>? replicas = null;
        await Poll.UntilAsync(async () => (replicas = (await ReplicationState.OffsetsAsync(primary, Ct)).Replicas).Count == 2,
            TimeSpan.FromSeconds(20), $"two replicas attached to the primary on port {port}", Ct);
        return new Shard(primary, [.. replicas!.Keys.Select(p => cluster.Nodes.Single(n => n.Port == p))]);
    }
}
