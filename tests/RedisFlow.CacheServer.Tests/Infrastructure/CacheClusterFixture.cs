using RedisFlow.Testing.Topologies;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(RedisFlow.CacheServer.Tests.Infrastructure.CacheClusterFixture))]

namespace RedisFlow.CacheServer.Tests.Infrastructure;

/// <summary>
/// One real Redis Cluster (3 primaries + 3 replicas) for the run, started on first use only (a filtered run that
/// needs none starts none). Tests keep to fresh bucket ids, so they share it; none kills a node.
/// </summary>
public sealed class CacheClusterFixture : IAsyncDisposable
{
    private readonly SharedCluster _shared = new(o => o.OperationTimeout = TimeSpan.FromSeconds(10));

    /// <summary>The running cluster (started on first call).</summary>
    public Task<ClusterTopology> GetClusterAsync() => _shared.GetClusterAsync();

    /// <summary>A <see cref="RedisDb"/> on the cluster (started on first call).</summary>
    public Task<RedisDb> GetDbAsync(CancellationToken ct) => _shared.GetDbAsync(ct);

    /// <summary>The primary that serves <paramref name="key"/>'s slot now.</summary>
    public async Task<IServer> PrimaryOfAsync(string key, CancellationToken ct)
    {
        var db = await GetDbAsync(ct);
        var connection = await db.GetConnectionAsync(ct);
        var endpoint = await connection.GetDatabase().IdentifyEndpointAsync(key);
        Assert.NotNull(endpoint);
        return connection.GetServer(endpoint);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _shared.DisposeAsync();
}
