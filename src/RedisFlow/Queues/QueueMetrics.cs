using System.Diagnostics;
using System.Diagnostics.Metrics;
using RedisFlow.Diagnostics;

namespace RedisFlow.Queues;

/// <summary>Queue instruments on the <c>RedisFlow</c> meter.</summary>
internal static class QueueMetrics
{
    private static readonly Counter<long> Handled = RedisFlowMetrics.SharedMeter.CreateCounter<long>(
        "redisflow.queue.handled", unit: "{entry}", description: "Entries a queue worker handled and acknowledged.");

    private static readonly Counter<long> Failed = RedisFlowMetrics.SharedMeter.CreateCounter<long>(
        "redisflow.queue.handler_failures", unit: "{entry}", description: "Entries whose handler threw; they stay pending and are retried.");

    private static readonly Counter<long> DeadLettered = RedisFlowMetrics.SharedMeter.CreateCounter<long>(
        "redisflow.queue.dead_lettered", unit: "{entry}", description: "Entries moved to a dead-letter stream.");

    private static readonly Counter<long> Claimed = RedisFlowMetrics.SharedMeter.CreateCounter<long>(
        "redisflow.queue.claimed", unit: "{entry}", description: "Stalled entries claimed from other consumers.");

    public static void RecordHandled(string queue, int count = 1) => Add(Handled, queue, count);

    public static void RecordFailed(string queue) => Add(Failed, queue, 1);

    public static void RecordClaimed(string queue, int count) => Add(Claimed, queue, count);

    public static void RecordDeadLettered(string queue, string reason)
    {
        if (DeadLettered.Enabled)
        {
            DeadLettered.Add(1, new TagList { { "queue", queue }, { "reason", reason } });
        }
    }

    private static void Add(Counter<long> counter, string queue, int count)
    {
        if (counter.Enabled)
        {
            counter.Add(count, new TagList { { "queue", queue } });
        }
    }
}
