using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Streams;
using RedisFlow.Embedded;

namespace RedisFlow.Benchmarks.Scenarios;

/// <summary>
/// The cost of <see cref="RedisDbOptions.WaitForReplicas"/>: <c>QueueProductAsync</c> with one replica attached to the
/// run's server, without and with <c>WAIT 1</c> after each add, measured in the same repetitions so their ratio holds
/// on a loaded machine. The replica is started here and stopped afterwards, so the other rows run without one.
/// </summary>
internal static class DurableProduceRows
{
    public static async Task AddAsync(BenchContext context, ScenarioResult result, IEnumerable<(string Label, int Total, int Concurrency)> shapes, CancellationToken ct)
    {
        var port = context.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var replica = await RedisServerProcess.StartAsync(["--replicaof", "127.0.0.1", port], ct).ConfigureAwait(false);
        await WaitForSyncAsync(replica, ct).ConfigureAwait(false);
        await using var plain = await context.ConnectRedisDbAsync(ct).ConfigureAwait(false);
        await using var durable = await context.ConnectRedisDbAsync(static o => o.WaitForReplicas = 1, ct).ConfigureAwait(false);

        var names = new List<(string Plain, string Durable)>();
        var cases = new List<BenchCase>();
        foreach (var (label, total, concurrency) in shapes)
        {
            var plainName = $"XADD, {label}, RedisFlow QueueProductAsync, 1 replica attached";
            var durableName = $"XADD + WAIT 1, {label}, RedisFlow QueueProductAsync with WaitForReplicas=1";
            names.Add((plainName, durableName));
            cases.Add(Case(plainName, plain, total, concurrency));
            cases.Add(Case(durableName, durable, total, concurrency));
        }

        var samples = await context.RepeatAsync(cases, ct).ConfigureAwait(false);
        foreach (var (plainName, durableName) in names)
        {
            result.Add(new ResultRow(plainName, "msg/s", samples[plainName]));
            result.Add(new ResultRow(durableName, "msg/s", samples[durableName], plainName));
        }
    }

    private static BenchCase Case(string name, RedisDb db, int total, int concurrency) => new(name, async token =>
    {
        var stream = $"bench:produce:{Guid.NewGuid():N}";
        var rate = await InFlight.OpsPerSecondAsync(total, concurrency, i => RedisFlowStreams.ProduceAsync(db, stream, i)).ConfigureAwait(false);
        await db.DeleteAsync(stream, token).ConfigureAwait(false);
        return rate;
    });

    /// <summary>Until the replica's first sync is done (bounded: a replica that never syncs fails the scenario).</summary>
    private static async Task WaitForSyncAsync(RedisServerProcess replica, CancellationToken ct)
    {
        for (var i = 0; i < 300; i++)
        {
            var info = await replica.SendRawAsync(ct, "INFO", "replication").ConfigureAwait(false);
            if (info.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
        }

        throw new InvalidOperationException("The benchmark's replica did not finish its first sync within 30 s.");
    }
}
