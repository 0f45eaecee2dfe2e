using System.Diagnostics;

namespace RedisFlow.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> of RedisFlow (queue produce and handle, lock acquire/wait/hold, cache cycles and
/// files) and the names exporters subscribe to.
/// </summary>
/// <remarks>
/// Every span starts only after <see cref="ActivitySource.HasListeners"/>: with nobody listening the hot paths pay one
/// volatile read and write nothing extra to Redis.
/// </remarks>
public static class RedisFlowInstrumentation
{
    /// <summary>Name of the activity source (<c>RedisFlow</c>).</summary>
    public const string ActivitySourceName = "RedisFlow";

    /// <summary>
    /// Names of every meter RedisFlow, its cache daemon and its dashboard publish (<c>RedisFlow</c>,
    /// <c>RedisFlow.CacheServer</c>, <c>RedisFlow.Dashboard</c>).
    /// </summary>
    public static IReadOnlyList<string> MeterNames { get; } = [RedisFlowMetrics.MeterName, "RedisFlow.CacheServer", "RedisFlow.Dashboard"];

    /// <summary>The stream entry field carrying the W3C <c>traceparent</c> of the produce span (only when it was sampled).</summary>
    public const string TraceParentField = "traceparent";

    /// <summary>The stream entry field carrying the W3C <c>tracestate</c>, next to <see cref="TraceParentField"/>, when not empty.</summary>
    public const string TraceStateField = "tracestate";

    /// <summary>Span name of a produce (XADD), kind Producer.</summary>
    public const string ProduceSpan = "redisflow.queue.produce";

    /// <summary>Span name of a handler run, kind Consumer, linked to the producer's span when the entry carries one.</summary>
    public const string HandleSpan = "redisflow.queue.handle";

    /// <summary>Span name of a lock acquire (the whole call, waiting included).</summary>
    public const string LockAcquireSpan = "redisflow.lock.acquire";

    /// <summary>Span name of the wait of an acquire that found the lock taken (child of the acquire span).</summary>
    public const string LockWaitSpan = "redisflow.lock.wait";

    /// <summary>Span name of the time a lock was held, from acquire to release.</summary>
    public const string LockHoldSpan = "redisflow.lock.hold";

    /// <summary>Span name of one cache daemon cycle.</summary>
    public const string CacheCycleSpan = "redisflow.cache.cycle";

    /// <summary>Span name of caching one file (child of the cycle span).</summary>
    public const string CacheFileSpan = "redisflow.cache.file";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(RedisFlowInstrumentation).Assembly.GetName().Version?.ToString());

    /// <summary>Starts a span (a child of the current one) with one tag, or null when nobody listens or it is not sampled.</summary>
    internal static Activity? Start(string name, string tag, string? value, ActivityKind kind = ActivityKind.Internal)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // Tags given at creation, so a sampler can decide on them.
        return Source.StartActivity(name, kind, default(ActivityContext), [new KeyValuePair<string, object?>(tag, value)]);
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="ex"/>'s type.</summary>
    internal static void Fail(Activity? activity, Exception ex)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
        activity.SetTag("error.type", ex.GetType().FullName);
    }
}
