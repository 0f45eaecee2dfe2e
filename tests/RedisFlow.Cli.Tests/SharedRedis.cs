using RedisFlow.Embedded;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(RedisFlow.Cli.Tests.SharedRedis))]

namespace RedisFlow.Cli.Tests;

/// <summary>
/// One real redis-server for the whole CLI test assembly (every test uses keys of its own), plus a plain
/// StackExchange.Redis connection to set up and check data independently of the code under test.
/// </summary>
public sealed class SharedRedis : IAsyncLifetime
{
    private RedisServerProcess? _server;
    private ConnectionMultiplexer? _connection;

    /// <summary>127.0.0.1:port of the server.</summary>
    public string Endpoint => _server!.Endpoint;

    /// <summary>Database 1, the CLI's default (as RAGFlow's).</summary>
    public IDatabase Db => _connection!.GetDatabase(1);

    /// <summary>A unique name with a readable prefix.</summary>
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync(ct: TestContext.Current.CancellationToken);
        _connection = await ConnectionMultiplexer.ConnectAsync(_server.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
