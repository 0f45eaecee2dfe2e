using RedisFlow.Testing.Topologies;

namespace RedisFlow.Tests.Durability;

/// <summary>
/// Sentinel with two replicas: with <see cref="RedisDbOptions.WaitForReplicas"/> 1 no acknowledged entry is lost
/// when the primary dies while one replica lags; the control run without it, on a second deployment, loses some.
/// </summary>
public sealed class SentinelReplicaLossTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_WaitForReplicas_no_acknowledged_entry_is_lost_and_without_it_some_are()
    {
        var queue = "durable:" + Guid.NewGuid().ToString("N")[..8];

        LossOutcome durableOutcome;
        await using (var sentinel = await SentinelTopology.StartAsync(2, Ct))
        {
            await using var durable = await RedisDb.ConnectAsync(sentinel.Options(o => o.WaitForReplicas = 1), ct: Ct);
            durableOutcome = await ReplicaLossScenario.DurableRunAsync(durable, queue, ShardOf(sentinel), Ct);
        }

        LossOutcome control;
        await using (var sentinel = await SentinelTopology.StartAsync(2, Ct))
        {
            await using var plain = await RedisDb.ConnectAsync(sentinel.Options(), ct: Ct);
            await using var refusing = await RedisDb.ConnectAsync(sentinel.Options(o =>
            {
                o.WaitForReplicas = 1;
                o.WaitForReplicasTimeout = TimeSpan.FromMilliseconds(300);
            }), ct: Ct);
            control = await ReplicaLossScenario.ControlRunAsync(plain, refusing, queue, ShardOf(sentinel), Ct);
        }

        ReplicaLossScenario.Report("Sentinel", withOption: true, durableOutcome);
        ReplicaLossScenario.Report("Sentinel", withOption: false, control);
        Assert.Equal(0, durableOutcome.Lost);
        Assert.True(control.Lost > 0, "the control run lost nothing: the test cannot tell a loss from none");
    }

    private static Shard ShardOf(SentinelTopology sentinel) => new(sentinel.DataNodes[0], [.. sentinel.DataNodes.Skip(1)]);
}
