using RedisFlow.Diagnostics;
using RedisFlow.Queues;
using RedisFlow.Testing.Diagnostics;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Queues;

namespace RedisFlow.Tests.Diagnostics;

/// <summary>Queue depth, pending and lag gauges, read from a worker's background snapshot.</summary>
public sealed class QueueMetricsTests(RedisFixture fixture) : QueueTestBase(fixture)
{
    [Fact]
    public async Task Depth_pending_and_lag_gauges_report_a_workers_queue_while_subscribed()
    {
        var queue = Key();
        using var metrics = new MetricCollector(queue);
        QueueGauges.RefreshInterval = TimeSpan.FromMilliseconds(100); // only the refresh pace of subscribed gauges
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await Db.QueueProductAsync(queue, new { n = i }, Ct));
        }

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new QueueWorkerOptions { QueueName = queue, GroupName = "g", ConsumerName = "c" };
        await using (await RunningWorker.StartAsync(Db, options, (_, ct) => release.Task.WaitAsync(ct)))
        {
            await WaitUntilAsync(() =>
            {
                metrics.Observe();
                var depth = Last(metrics, "redisflow.queue.depth");
                var pending = Last(metrics, "redisflow.queue.pending");
                var lag = Last(metrics, "redisflow.queue.lag");
                return depth == 3 && pending >= 1 && pending + lag == 3;
            }, what: "gauges showing 3 entries, some pending");
            Assert.All(metrics.Of("redisflow.queue.depth"), m => Assert.Equal("g", m.Tags["group"]));
            release.SetResult();
        }

        // The worker stopped: its snapshot is gone, so the gauges no longer report its queue.
        metrics.Measurements.Clear();
        metrics.Observe();
        Assert.Empty(metrics.Of("redisflow.queue.depth"));
    }

    private static double? Last(MetricCollector metrics, string instrument) =>
        metrics.Of(instrument) is { Count: > 0 } all ? all[^1].Value : null;
}
