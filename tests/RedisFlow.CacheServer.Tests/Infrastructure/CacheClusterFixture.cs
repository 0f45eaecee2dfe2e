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
    private readonly Lazy<Task<(ClusterTopology Cluster, RedisDb Db)>> _started = new(StartAsync);

    /// <summary>The running cluster (started on first call).</summary>
    public async Task<ClusterTopology> GetClusterAsync() => (await _started.Value).Cluster;

    /// <summary>A <see cref="RedisDb"/> on the cluster (started on first call).</summary>
    public async Task<RedisDb> GetDbAsync(CancellationToken ct) => (await _started.Value.WaitAsync(ct)).Db;

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
    public async ValueTask DisposeAsync()
    {
        if (!_started.IsValueCreated)
        {
            return;
        }

        try
        {
            var (cluster, db) = await _started.Value;
            await db.DisposeAsync();
            await cluster.DisposeAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Start failed: its own clean-up already ran.
        }
    }

    private static async Task<(ClusterTopology, RedisDb)> StartAsync()
    {
        var cluster = await ClusterTopology.StartAsync();
        try
        {
            return (cluster, await RedisDb.ConnectAsync(cluster.Options(o => o.OperationTimeout = TimeSpan.FromSeconds(10))));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
