using RedisFlow.Testing.Topologies;

namespace RedisFlow.Tests.Topologies;

/// <summary>
/// A deployment of its own for one test class (a class fixture), seen as an <see cref="IRedisTopology"/> so cases
/// written once can run on it too; started before the class's first test and stopped after its last.
/// </summary>
public abstract class DedicatedTopologyFixture : IRedisTopology, IAsyncLifetime
{
    private IAsyncDisposable? _deployment;
    private RedisDb? _db;

    /// <inheritdoc />
    public Task<RedisDb> GetDbAsync(CancellationToken ct) => Task.FromResult(_db ?? throw new InvalidOperationException("Not started."));

    /// <inheritdoc />
    public async Task FlushScriptsAsync(CancellationToken ct)
    {
        var connection = await (await GetDbAsync(ct)).GetConnectionAsync(ct);
        foreach (var server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await server.ScriptFlushAsync();
        }
    }

    public async ValueTask InitializeAsync()
    {
        var (deployment, options) = await StartAsync();
        _deployment = deployment;
        _db = await RedisDb.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the deployment; answers it (to stop at the end) and the options of a <see cref="RedisDb"/> on it.</summary>
    protected abstract Task<(IAsyncDisposable Deployment, RedisDbOptions Options)> StartAsync();
}

/// <summary>A TLS-only redis-server of its own (CA trusted through <c>Redis:Ssl</c>).</summary>
public sealed class TlsTopologyFixture : DedicatedTopologyFixture
{
    protected override async Task<(IAsyncDisposable, RedisDbOptions)> StartAsync()
    {
        var tls = await TlsRedisTopology.StartAsync();
        return (tls, tls.Options());
    }
}

/// <summary>A Sentinel set of its own (primary, replica, three Sentinels), reached through the Sentinels.</summary>
public sealed class SentinelTopologyFixture : DedicatedTopologyFixture
{
    protected override async Task<(IAsyncDisposable, RedisDbOptions)> StartAsync()
    {
        var sentinel = await SentinelTopology.StartAsync();
        return (sentinel, sentinel.Options());
    }
}
