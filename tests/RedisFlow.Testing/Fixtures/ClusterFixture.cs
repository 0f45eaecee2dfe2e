using RedisFlow.Testing.Topologies;
using StackExchange.Redis;

namespace RedisFlow.Testing.Fixtures;

/// <summary>
/// One Redis Cluster (3 primaries + 3 replicas) and a <see cref="RedisDb"/> on it for a test project's whole run
/// (<c>[assembly: AssemblyFixture]</c>), started on first use only, so a filtered run that needs no cluster starts
/// none. Tests keep to keys of their own and never kill a node: failover tests start a cluster of their own.
/// </summary>
public class ClusterFixture : IRedisTopology, IAsyncDisposable
{
    private readonly Lazy<Task<(ClusterTopology Cluster, RedisDb Db)>> _started;

    /// <summary>The <see cref="RedisDb"/> has the cluster's default options.</summary>
    public ClusterFixture()
        : this(configure: null)
    {
    }

    /// <summary><paramref name="configure"/> adjusts the options of the <see cref="RedisDb"/>.</summary>
    protected ClusterFixture(Action<RedisDbOptions>? configure) => _started = new(() => StartAsync(configure));

    /// <summary>The running cluster (started on first call).</summary>
    public async Task<ClusterTopology> GetClusterAsync() => (await _started.Value.ConfigureAwait(false)).Cluster;

    /// <inheritdoc />
    public async Task<RedisDb> GetDbAsync(CancellationToken ct) => (await _started.Value.WaitAsync(ct).ConfigureAwait(false)).Db;

    /// <inheritdoc />
    public async Task FlushScriptsAsync(CancellationToken ct)
    {
        var cluster = await GetClusterAsync().ConfigureAwait(false);
        var replies = await cluster.SendToEveryPrimaryAsync(ct, "SCRIPT", "FLUSH").ConfigureAwait(false);
        Assert.Equal(3, replies.Count);
        Assert.All(replies, r => Assert.StartsWith("+OK", r, StringComparison.Ordinal));
    }

    /// <summary>The primary that serves <paramref name="key"/>'s slot now.</summary>
    public async Task<IServer> PrimaryOfAsync(string key, CancellationToken ct)
    {
        var db = await GetDbAsync(ct).ConfigureAwait(false);
        var connection = await db.GetConnectionAsync(ct).ConfigureAwait(false);
        var endpoint = await connection.GetDatabase().IdentifyEndpointAsync(key).ConfigureAwait(false);
        Assert.NotNull(endpoint);
        return connection.GetServer(endpoint);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
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
