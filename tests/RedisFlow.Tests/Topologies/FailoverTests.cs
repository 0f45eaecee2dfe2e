using Microsoft.Extensions.Logging;
using RedisFlow.Testing.Topologies;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Topologies;

/// <summary>
/// A primary is killed (SIGKILL) under write load; the same <see cref="RedisDb"/> must carry on after the promotion,
/// with calls in flight answering false instead of hanging. Prints the outage window and the acknowledged writes lost.
/// </summary>
public sealed class FailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sentinel_primary_killed_under_load_the_same_RedisDb_follows_the_promoted_replica()
    {
        await using var sentinel = await SentinelTopology.StartAsync(Ct);
        var options = sentinel.Options();
        await using var db = await RedisDb.ConnectAsync(options, ct: Ct);
        Assert.True(await db.HealthAsync(Ct));
        var before = await db.GetTopologyAsync(Ct);
        Assert.NotNull(before);
        Assert.Equal("sentinel", before.Kind);
        var oldPrimary = await sentinel.PrimaryAsync(Ct);
        Assert.Contains(before.Nodes, n => n.Role == "primary" && n.Endpoint == oldPrimary.Endpoint);

        var load = new WriteLoad(db, "failover:sentinel");
        var measured = await KillUnderLoadAsync(load, oldPrimary.KillAsync, options.OperationTimeout);

        // Sentinels other than the failover leader learn of the promotion from its hello messages a moment later.
        int? newPort = null;
        await Poll.UntilAsync(async () => (newPort = await sentinel.PrimaryPortAsync(Ct)) != oldPrimary.Port,
            TimeSpan.FromSeconds(30), "the Sentinels to name the promoted replica", Ct);
        var after = await db.GetTopologyAsync(Ct);
        Assert.NotNull(after);
        Assert.Contains(after.Nodes, n => n.Role == "primary" && n.Endpoint == $"127.0.0.1:{newPort}");
        Report("Sentinel", measured, await load.CountLostAsync(Ct));
    }

    [Fact]
    public async Task Cluster_primary_killed_under_load_its_replica_takes_over_and_KV_calls_carry_on()
    {
        await using var cluster = await ClusterTopology.StartAsync(Ct);
        var options = cluster.Options();
        using var logs = new CapturingLoggerFactory();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var db = await RedisDb.ConnectAsync(options, factory, Ct);
        Assert.True(db.IsCluster);
        var view = await cluster.ViewAsync(Ct);
        var victim = view.First(v => v.IsPrimary && v.Slots.Count > 0);
        var node = cluster.Nodes.Single(n => n.Port == victim.Port);

        var load = new WriteLoad(db, "failover:cluster");
        var measured = await KillUnderLoadAsync(load, node.KillAsync, options.OperationTimeout);

        // The victim's slots are served by a promoted replica, and the cluster is whole again.
        var topology = await db.GetTopologyAsync(Ct);
        Assert.True(topology is not null, logs.AllText()[^Math.Min(3000, logs.AllText().Length)..]);
        var heir = Assert.Single(topology.Nodes, n => n.Role == "primary" && n.Connected && n.Slots.SequenceEqual(victim.Slots));
        Assert.NotEqual($"127.0.0.1:{victim.Port}", heir.Endpoint);
        Report("Cluster", measured, await load.CountLostAsync(Ct));
    }

    /// <summary>Starts the load, kills, waits until writes failed and then succeeded 200 times in a row, stops the load.</summary>
    private static async Task<(TimeSpan Outage, long Failures, int Acknowledged, TimeSpan Slowest)> KillUnderLoadAsync(
        WriteLoad load, Func<Task> kill, TimeSpan operationTimeout)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = load.RunAsync(stop.Token);
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(load.Acknowledged >= 300), TimeSpan.FromSeconds(20), "300 writes before the kill", Ct);
            await kill();
            await Poll.UntilAsync(() => Task.FromResult(load.Failures > 0 && load.SuccessesSinceLastFailure >= 200),
                TimeSpan.FromSeconds(60), "writes to fail and then succeed 200 times in a row on the same RedisDb", Ct);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        // No call hangs: each answered within its operation timeout (plus scheduling slack on a busy 2-core machine).
        Assert.True(load.Slowest < operationTimeout + TimeSpan.FromSeconds(4), $"slowest call took {load.Slowest}");
        return (load.OutageWindow, load.Failures, load.Acknowledged, load.Slowest);
    }

    /// <summary>
    /// Prints the measurements. The lost count is information only here: without
    /// <see cref="RedisDbOptions.WaitForReplicas"/> any number is possible; the replica-loss tests in
    /// <c>Durability/</c> assert zero with the option and a loss without it.
    /// </summary>
    internal static void Report(string topology, (TimeSpan Outage, long Failures, int Acknowledged, TimeSpan Slowest) m, int lost)
    {
        var line = $"FAILOVER {topology}: outage window {m.Outage.TotalMilliseconds:0} ms, {m.Failures} calls answered false, " +
                   $"{m.Acknowledged} writes acknowledged, {lost} acknowledged writes lost, slowest call {m.Slowest.TotalMilliseconds:0} ms";
        TestReport.Write(line);
    }
}
