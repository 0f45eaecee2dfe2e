using RedisFlow.Testing.Topologies;

[assembly: AssemblyFixture(typeof(RedisFlow.Tests.Topologies.ClusterFixture))]

namespace RedisFlow.Tests.Topologies;

/// <summary>
/// One Redis Cluster (3 primaries + 3 replicas) for the whole run, started on first use only, so a filtered run that
/// needs no cluster starts none. Never killed by tests: failover tests start their own.
/// </summary>
public sealed class ClusterFixture : IRedisTopology, IAsyncDisposable
{
    private readonly SharedCluster _shared = new();

    /// <summary>The running cluster (started on first call).</summary>
    public Task<ClusterTopology> GetClusterAsync() => _shared.GetClusterAsync();

    /// <inheritdoc />
    public Task<RedisDb> GetDbAsync(CancellationToken ct) => _shared.GetDbAsync(ct);

    /// <inheritdoc />
    public async Task FlushScriptsAsync(CancellationToken ct)
    {
        var cluster = await GetClusterAsync();
        var replies = await cluster.SendToEveryPrimaryAsync(ct, "SCRIPT", "FLUSH");
        Assert.Equal(3, replies.Count);
        Assert.All(replies, r => Assert.StartsWith("+OK", r, StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _shared.DisposeAsync();
}
