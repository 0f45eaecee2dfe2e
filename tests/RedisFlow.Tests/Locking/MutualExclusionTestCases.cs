using System.Globalization;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Locking;

/// <summary>
/// Mutual exclusion across real processes: a non-atomic read-increment-write stays exact under the lock. Run on
/// every topology; the target is what a child process connects to (an endpoint, or the Cluster's
/// node list).
/// </summary>
public abstract class MutualExclusionTestCases(IRedisTopology topology, Func<Task<string>> target) : TopologyTestBase(topology)
{
    [Fact]
    public async Task Four_processes_times_500_acquisitions_keep_a_non_atomic_counter_exact_with_increasing_fencing_tokens()
    {
        const int processes = 4;
        const int iterations = 500;
        var lockKey = Key(":lock");
        var counterKey = Key(":counter");
        var connectTo = await target();
        var children = Enumerable.Range(0, processes)
            .Select(_ => TestProcess.Start("lock-counter", connectTo, lockKey, counterKey, iterations.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        try
        {
            foreach (var child in children)
            {
                Assert.True(0 == await child.WaitForExitAsync(TimeSpan.FromSeconds(90), Ct), child.Error);
            }

            Assert.Equal((processes * iterations).ToString(CultureInfo.InvariantCulture), await Db.GetAsync(counterKey, Ct));

            // Every counter value was written once, and in counter order the fencing tokens strictly increase.
            var seen = children.SelectMany(c => c.Lines)
                .Select(line => line.Split(' '))
                .Select(parts => (Counter: long.Parse(parts[0], CultureInfo.InvariantCulture), Fence: long.Parse(parts[1], CultureInfo.InvariantCulture)))
                .OrderBy(x => x.Counter)
                .ToList();
            Assert.Equal(Enumerable.Range(1, processes * iterations).Select(i => (long)i), seen.Select(x => x.Counter));
            for (var i = 1; i < seen.Count; i++)
            {
                Assert.True(seen[i].Fence > seen[i - 1].Fence, $"fencing token {seen[i].Fence} at counter {seen[i].Counter} is not above {seen[i - 1].Fence}");
            }

            Assert.False(await Db.ExistAsync(lockKey, Ct));
        }
        finally
        {
            foreach (var child in children)
            {
                await child.DisposeAsync();
            }
        }
    }
}

public sealed class StandaloneMutualExclusionTests(RedisFixture fixture)
    : MutualExclusionTestCases(fixture, () => Task.FromResult(fixture.Server.Endpoint));

public sealed class ClusterMutualExclusionTests(ClusterFixture fixture)
    : MutualExclusionTestCases(fixture, async () => (await fixture.GetClusterAsync()).ConnectionString);
