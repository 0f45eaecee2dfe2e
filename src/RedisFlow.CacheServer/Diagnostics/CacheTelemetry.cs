using System.Diagnostics;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.Diagnostics;

namespace RedisFlow.CacheServer.Diagnostics;

/// <summary>The daemon's spans on the <c>RedisFlow</c> activity source: one per cycle, one per file (its child).</summary>
internal static class CacheTelemetry
{
    // A source of the same name as the library's: listeners subscribe by name, so both reach the same exporters.
    private static readonly ActivitySource Source = new(RedisFlowInstrumentation.ActivitySourceName, typeof(CacheTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Starts a cycle span tagged with the task source; null when nobody listens.</summary>
    public static Activity? StartCycle(string taskSource) =>
        Start(RedisFlowInstrumentation.CacheCycleSpan, "redisflow.cache.task_source", taskSource);

    /// <summary>Starts a file span tagged with its bucket and location; null when nobody listens.</summary>
    public static Activity? StartFile(OngoingDocument document)
    {
        var span = Start(RedisFlowInstrumentation.CacheFileSpan, "redisflow.cache.bucket", document.Bucket);
        span?.SetTag("redisflow.cache.location", document.Location);
        return span;
    }

    /// <summary>Tags a cycle span with how many documents it saw, and whether the task source failed.</summary>
    public static void EndCycle(Activity? span, CycleReport report)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("redisflow.cache.documents", report.Documents.Count);
        if (report.TaskSourceError is { } error)
        {
            span.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            span.SetTag("error.type", error.GetType().FullName);
        }
    }

    /// <summary>Tags a file span with its outcome (<c>cached</c>, <c>already_cached</c>, <c>failed</c>, ...).</summary>
    public static void EndFile(Activity? span, FileOutcome outcome)
    {
        span?.SetTag("redisflow.cache.outcome", FileOutcomeNames.TagOf(outcome));
        if (outcome is FileOutcome.Failed or FileOutcome.NotFound)
        {
            span?.SetStatus(ActivityStatusCode.Error, FileOutcomeNames.TagOf(outcome));
        }
    }

    private static Activity? Start(string name, string tag, string value) =>
        Source.HasListeners() ? Source.StartActivity(name, ActivityKind.Internal, default(ActivityContext), [new KeyValuePair<string, object?>(tag, value)]) : null;
}
