using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RedisFlow.Diagnostics;

/// <summary>The <see cref="Meter"/> of the RedisFlow library; its name is public so exporters can subscribe.</summary>
public static class RedisFlowMetrics
{
    /// <summary>Name of the meter (<c>RedisFlow</c>).</summary>
    public const string MeterName = "RedisFlow";

    private static readonly Meter Meter = new(MeterName, typeof(RedisFlowMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "redisflow.redis.operation.failures", unit: "{operation}", description: "RedisDb calls that gave up and answered false/null.");

    private static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "redisflow.redis.operation.retries", unit: "{retry}", description: "Retries of idempotent RedisDb calls after a transient failure.");

    internal static Meter SharedMeter => Meter;

    internal static void RecordFailure(string method)
    {
        if (Failures.Enabled)
        {
            Failures.Add(1, new TagList { { "method", method } });
        }
    }

    internal static void RecordRetry(string method)
    {
        if (Retries.Enabled)
        {
            Retries.Add(1, new TagList { { "method", method } });
        }
    }
}
