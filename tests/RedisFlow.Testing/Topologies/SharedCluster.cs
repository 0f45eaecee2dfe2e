namespace RedisFlow.Testing.Topologies;

/// <summary>
/// One Redis Cluster (3 primaries + 3 replicas) and a <see cref="RedisDb"/> on it, started on first use only, so a
/// filtered test run that needs no cluster starts none. The per-assembly fixtures of the test projects wrap it.
/// </summary>
public sealed class SharedCluster : IAsyncDisposable
{
    private readonly Lazy<Task<(ClusterTopology Cluster, RedisDb Db)>> _started;

    /// <summary>Creates it; <paramref name="configure"/> adjusts the options of its <see cref="RedisDb"/>.</summary>
    public SharedCluster(Action<RedisDbOptions>? configure = null) =>
        _started = new(() => StartAsync(configure));

    /// <summary>The running cluster (started on first call).</summary>
    public async Task<ClusterTopology> GetClusterAsync() => (await _started.Value.ConfigureAwait(false)).Cluster;

    /// <summary>The <see cref="RedisDb"/> on the cluster (started on first call).</summary>
    public async Task<RedisDb> GetDbAsync(CancellationToken ct) => (await _started.Value.WaitAsync(ct).ConfigureAwait(false)).Db;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_started.IsValueCreated)
        {
            return;
        }

        try
        {
            var (cluster, db) = await _started.Value.ConfigureAwait(false);
            await db.DisposeAsync().ConfigureAwait(false);
            await cluster.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Start failed: its own clean-up already ran.
        }
    }

    private static async Task<(ClusterTopology, RedisDb)> StartAsync(Action<RedisDbOptions>? configure)
    {
        var cluster = await ClusterTopology.StartAsync().ConfigureAwait(false);
        try
        {
            return (cluster, await RedisDb.ConnectAsync(cluster.Options(configure)).ConfigureAwait(false));
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
