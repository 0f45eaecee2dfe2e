using RedisFlow.Embedded;

[assembly: AssemblyFixture(typeof(RedisFlow.CacheServer.Tests.Infrastructure.CacheRedisFixture))]

namespace RedisFlow.CacheServer.Tests.Infrastructure;

/// <summary>
/// One real redis-server for the run. Tests do not clash on it: every test uses fresh bucket ids, so its keys
/// (<c>bucket/location</c>) are its own. Tests that kill Redis or change its memory limit start their own server.
/// </summary>
public sealed class CacheRedisFixture : IAsyncLifetime
{
    private RedisServerProcess? _server;
    private RedisDb? _db;

    public RedisServerProcess Server => _server ?? throw new InvalidOperationException("Fixture not started.");

    public RedisDb Db => _db ?? throw new InvalidOperationException("Fixture not started.");

    public static RedisDbOptions OptionsFor(RedisServerProcess server) =>
        new() { Host = server.Endpoint, Db = 1, OperationTimeout = TimeSpan.FromSeconds(10), ConnectTimeout = TimeSpan.FromSeconds(5) };

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync();
        _db = await RedisDb.ConnectAsync(OptionsFor(_server));
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
