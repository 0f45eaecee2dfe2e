using System.Diagnostics;
using System.Diagnostics.Metrics;
using RedisFlow.CacheServer.Caching;

namespace RedisFlow.CacheServer.Diagnostics;

/// <summary>The daemon's <see cref="Meter"/>: files cached, bytes, skips by reason, failures, fetch latency.</summary>
public static class CacheMetrics
{
    /// <summary>Name of the meter (<c>RedisFlow.CacheServer</c>).</summary>
    public const string MeterName = "RedisFlow.CacheServer";

    private static readonly Meter Meter = new(MeterName, typeof(CacheMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> FilesCached = Meter.CreateCounter<long>(
        "redisflow.cache.files_cached", unit: "{file}", description: "Files fetched from storage and published to Redis.");

    private static readonly Counter<long> BytesCached = Meter.CreateCounter<long>(
        "redisflow.cache.bytes_cached", unit: "By", description: "Bytes of the files published to Redis.");

    private static readonly Counter<long> Skips = Meter.CreateCounter<long>(
        "redisflow.cache.skips", unit: "{file}", description: "Ongoing documents not fetched, by reason (already_cached, claimed_elsewhere, too_large, memory_guard, redis_down).");

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "redisflow.cache.failures", unit: "{failure}", description: "Files or cycles that failed, by reason (not_found, failed, task_source).");

    private static readonly Histogram<double> FetchDuration = Meter.CreateHistogram<double>(
        "redisflow.cache.fetch.duration", unit: "s", description: "Time from opening a file in storage to publishing it in Redis.");

    internal static void RecordCached(long bytes, TimeSpan elapsed, string storage)
    {
        var tags = new TagList { { "storage", storage } };
        FilesCached.Add(1, tags);
        BytesCached.Add(bytes, tags);
        FetchDuration.Record(elapsed.TotalSeconds, tags);
    }

    internal static void RecordOutcome(FileOutcome outcome)
    {
        switch (outcome)
        {
            case FileOutcome.Cached:
                return;
            case FileOutcome.NotFound:
            case FileOutcome.Failed:
                RecordFailure(FileOutcomeNames.TagOf(outcome));
                return;
            default:
                if (Skips.Enabled)
                {
                    Skips.Add(1, new TagList { { "reason", FileOutcomeNames.TagOf(outcome) } });
                }

                return;
        }
    }

    internal static void RecordFailure(string reason)
    {
        if (Failures.Enabled)
        {
            Failures.Add(1, new TagList { { "reason", reason } });
        }
    }
}
