using RedisFlow.Diagnostics;
using RedisFlow.Locking;
using RedisFlow.Testing;
using RedisFlow.Testing.Diagnostics;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Diagnostics;

/// <summary>Lock acquire, wait and hold spans and the wait and hold histograms, with a contended lock.</summary>
public sealed class LockTracingTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    [Fact]
    public async Task A_contended_lock_reports_acquire_wait_and_hold_spans_and_histograms()
    {
        var key = Key();
        using var spans = new SpanCollector(key);
        using var metrics = new MetricCollector(key);
        await using var first = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromSeconds(30), blockingTimeout: TimeSpan.FromSeconds(30));
        await using var second = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromSeconds(30), blockingTimeout: TimeSpan.FromSeconds(30));
        Assert.True(await first.AcquireAsync(Ct));

        var waiting = second.AcquireAsync(Ct);
        await Poll.UntilAsync(() => spans.Started.Any(s => s.OperationName == RedisFlowInstrumentation.LockWaitSpan), TimeSpan.FromSeconds(20), "the second acquire waiting", Ct);
        await first.ReleaseAsync();
        Assert.True(await waiting);
        await second.ReleaseAsync();

        var acquires = spans.Named(RedisFlowInstrumentation.LockAcquireSpan);
        Assert.Equal(2, acquires.Count);
        Assert.All(acquires, a => Assert.Equal(true, a.GetTagItem("redisflow.lock.acquired")));
        var wait = Assert.Single(spans.Named(RedisFlowInstrumentation.LockWaitSpan));
        Assert.Contains(acquires, a => a.SpanId == wait.ParentSpanId); // the wait is part of the second acquire
        var holds = spans.Named(RedisFlowInstrumentation.LockHoldSpan);
        Assert.Equal(2, holds.Count);
        Assert.All(holds, h => Assert.Contains(key, (string?)h.GetTagItem(LockTelemetry.KeyTag), StringComparison.Ordinal));

        Assert.Equal(2, metrics.Of("redisflow.lock.wait.duration").Count);
        Assert.All(metrics.Of("redisflow.lock.wait.duration"), m => Assert.Equal(true, m.Tags["acquired"]));
        Assert.Equal(2, metrics.Of("redisflow.lock.hold.duration").Count);
    }
}
