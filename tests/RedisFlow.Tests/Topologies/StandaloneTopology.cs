using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Topologies;

/// <summary>The run's single redis-server (<see cref="RedisFixture"/>) seen as a topology.</summary>
public sealed class StandaloneTopology(RedisFixture fixture) : IRedisTopology
{
    /// <inheritdoc />
    public Task<RedisDb> GetDbAsync(CancellationToken ct) => Task.FromResult(fixture.Db);

    /// <inheritdoc />
    public async Task FlushScriptsAsync(CancellationToken ct)
    {
        var reply = await fixture.Server.SendRawAsync(ct, "SCRIPT", "FLUSH");
        Assert.StartsWith("+OK", reply, StringComparison.Ordinal);
    }
}
