using RedisFlow.Embedded;

[assembly: AssemblyFixture(typeof(RedisFlow.Tests.Infrastructure.RedisFixture))]

namespace RedisFlow.Tests.Infrastructure;

/// <summary>One real redis-server for the whole test run, and one shared <see cref="RedisDb"/> on it.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServerProcess? _server;
    private RedisDb? _db;

    public RedisServerProcess Server => _server ?? throw new InvalidOperationException("Fixture not started.");

    public RedisDb Db => _db ?? throw new InvalidOperationException("Fixture not started.");

    public RedisDbOptions Options(Action<RedisDbOptions>? configure = null)
    {
        var options = new RedisDbOptions { Host = Server.Endpoint, Db = 1, OperationTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return options;
    }

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync();
        _db = await RedisDb.ConnectAsync(Options());
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
