using System.Globalization;
using RedisFlow.Embedded;

namespace RedisFlow.CacheServer.Tests.Infrastructure;

/// <summary>A redis-server started with cluster support, to ask it <c>CLUSTER KEYSLOT</c> (no slots need to be assigned).</summary>
public sealed class ClusterModeRedisFixture : IAsyncLifetime
{
    private RedisServerProcess? _server;

    public async Task<int> KeySlotAsync(string key)
    {
        var reply = await _server!.SendRawAsync(TestContext.Current.CancellationToken, "CLUSTER", "KEYSLOT", key);
        Assert.StartsWith(":", reply, StringComparison.Ordinal);
        return int.Parse(reply.AsSpan(1).Trim(), CultureInfo.InvariantCulture);
    }

    public async ValueTask InitializeAsync() =>
        _server = await RedisServerProcess.StartAsync(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
