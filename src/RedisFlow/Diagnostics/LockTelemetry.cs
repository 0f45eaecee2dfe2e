using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RedisFlow.Diagnostics;

/// <summary>Lock spans (acquire, wait, hold) and the wait and hold histograms on the <c>RedisFlow</c> meter.</summary>
internal static class LockTelemetry
{
    /// <summary>The tag naming the lock key on every lock span and measurement.</summary>
    public const string KeyTag = "redisflow.lock.key";

    private static readonly Histogram<double> Wait = RedisFlowMetrics.SharedMeter.CreateHistogram<double>(
        "redisflow.lock.wait.duration", unit: "s", description: "Time an acquire took, waiting included, by lock and whether it got the lock.");

    private static readonly Histogram<double> Hold = RedisFlowMetrics.SharedMeter.CreateHistogram<double>(
        "redisflow.lock.hold.duration", unit: "s", description: "Time a lock was held, from acquire to release.");

    /// <summary>Whether anything listens: spans or either histogram.</summary>
    public static bool Enabled => RedisFlowInstrumentation.Source.HasListeners() || Wait.Enabled || Hold.Enabled;

    /// <summary>A timestamp to measure a hold from, or 0 when nobody listens.</summary>
    public static long Now() => Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Starts a lock span tagged with its key; null when nobody listens.</summary>
    public static Activity? Start(string span, string key) => RedisFlowInstrumentation.Start(span, KeyTag, key);

    /// <summary>Records an acquire's duration and outcome on its span and the wait histogram.</summary>
    public static void Acquired(Activity? span, string key, long started, bool acquired)
    {
        span?.SetTag("redisflow.lock.acquired", acquired);
        if (Wait.Enabled)
        {
            Wait.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new TagList { { KeyTag, key }, { "acquired", acquired } });
        }
    }

    /// <summary>
    /// Records a hold that began at <paramref name="since"/> (0: not measured): the histogram, and a span written
    /// after the fact with its real start, so no activity stays open (and ambient) while the lock is held.
    /// </summary>
    public static void Released(string key, long since)
    {
        if (since == 0)
        {
            return;
        }

        var held = Stopwatch.GetElapsedTime(since);
        if (Hold.Enabled)
        {
            Hold.Record(held.TotalSeconds, new TagList { { KeyTag, key } });
        }

        if (RedisFlowInstrumentation.Source.HasListeners())
        {
            using var span = RedisFlowInstrumentation.Source.StartActivity(RedisFlowInstrumentation.LockHoldSpan, ActivityKind.Internal,
                Activity.Current?.Context ?? default, tags: [new(KeyTag, key)], startTime: DateTimeOffset.UtcNow - held);
        }
    }
}
