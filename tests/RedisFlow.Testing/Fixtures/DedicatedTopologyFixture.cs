namespace RedisFlow.Testing.Fixtures;

/// <summary>
/// A <see cref="DeploymentFixture{T}"/> with a <see cref="RedisDb"/> on it, seen as an <see cref="IRedisTopology"/>
/// so cases written once run on it too.
/// </summary>
/// <typeparam name="T">The deployment.</typeparam>
/// <param name="start">Starts the deployment.</param>
/// <param name="optionsOf">The options of the <see cref="RedisDb"/> on the deployment.</param>
public abstract class DedicatedTopologyFixture<T>(Func<CancellationToken, Task<T>> start, Func<T, RedisDbOptions> optionsOf)
    : DeploymentFixture<T>(start), IRedisTopology
    where T : class, IAsyncDisposable
{
    private RedisDb? _db;

    /// <inheritdoc />
    public Task<RedisDb> GetDbAsync(CancellationToken ct) => Task.FromResult(_db ?? throw new InvalidOperationException("Not started."));

    /// <inheritdoc />
    public async Task FlushScriptsAsync(CancellationToken ct)
    {
        var connection = await (await GetDbAsync(ct).ConfigureAwait(false)).GetConnectionAsync(ct).ConfigureAwait(false);
        foreach (var server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await server.ScriptFlushAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync().ConfigureAwait(false);
        _db = await RedisDb.ConnectAsync(optionsOf(Deployment)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
