using RedisFlow.Embedded;
using RedisFlow.Testing.Diagnostics;

namespace RedisFlow.Tests.Diagnostics;

/// <summary>Failed and retried Redis calls are counted, tagged by the RedisDb method.</summary>
public sealed class RedisCallMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_call_to_a_stopped_server_is_counted_as_retried_and_then_failed()
    {
        using var metrics = new MetricCollector(nameof(RedisDb.QueueLengthAsync));
        var server = await RedisServerProcess.StartAsync(ct: Ct);
        var options = new RedisDbOptions { Host = server.Endpoint, OperationTimeout = TimeSpan.FromSeconds(3) };
        await using var db = await RedisDb.ConnectAsync(options, ct: Ct);
        await server.DisposeAsync();

        Assert.Null(await db.QueueLengthAsync("gone", Ct));

        // Lower bounds: another test may fail the same method at the same time.
        Assert.NotEmpty(metrics.Of("redisflow.redis.operation.failures"));
        Assert.NotEmpty(metrics.Of("redisflow.redis.operation.retries"));
    }
}
