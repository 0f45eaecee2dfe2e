using RedisFlow.Embedded;

[assembly: AssemblyFixture(typeof(RedisFlow.Dashboard.Tests.Infrastructure.RedisFixture))]

namespace RedisFlow.Dashboard.Tests.Infrastructure;

/// <summary>One real redis-server on a free loopback port for the whole run, and a <see cref="RedisDb"/> on it.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServerProcess? _server;
    private RedisDb? _db;

    public RedisServerProcess Server => _server ?? throw new InvalidOperationException("Fixture not started.");

    public RedisDb Db => _db ?? throw new InvalidOperationException("Fixture not started.");

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync();
        _db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = _server.Endpoint, Db = 1, OperationTimeout = TimeSpan.FromSeconds(10) });
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
