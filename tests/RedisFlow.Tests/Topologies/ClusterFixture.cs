using RedisFlow.Testing.Topologies;

[assembly: AssemblyFixture(typeof(RedisFlow.Tests.Topologies.ClusterFixture))]

namespace RedisFlow.Tests.Topologies;

/// <summary>
/// One Redis Cluster (3 primaries + 3 replicas) for the whole run, started on first use only, so a filtered run that
/// needs no cluster starts none. Never killed by tests: failover tests start their own.
/// </summary>
public sealed class ClusterFixture : IRedisTopology, IAsyncDisposable
{
    private readonly Lazy<Task<(ClusterTopology Cluster, RedisDb Db)>> _started = new(StartAsync);

    /// <summary>The running cluster (started on first call).</summary>
    public async Task<ClusterTopology> GetClusterAsync() => (await _started.Value).Cluster;

    /// <inheritdoc />
    public async Task<RedisDb> GetDbAsync(CancellationToken ct) => (await _started.Value.WaitAsync(ct)).Db;

    /// <inheritdoc />
    public async Task FlushScriptsAsync(CancellationToken ct)
    {
        var cluster = await GetClusterAsync();
        var replies = await cluster.SendToEveryPrimaryAsync(ct, "SCRIPT", "FLUSH");
        Assert.Equal(3, replies.Count);
        Assert.All(replies, r => Assert.StartsWith("+OK", r, StringComparison.Ordinal));
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
            return (cluster, await RedisDb.ConnectAsync(cluster.Options()));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
