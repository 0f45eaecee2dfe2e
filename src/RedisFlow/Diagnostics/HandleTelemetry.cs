using System.Diagnostics;
using System.Diagnostics.Metrics;
using RedisFlow.Queues;

namespace RedisFlow.Diagnostics;

/// <summary>
/// The span and duration of one handler run: a Consumer span linked (not parented) to the producer's span, since
/// the handler runs long after and often in another trace; entries without trace context get a root span.
/// </summary>
internal sealed class HandleTelemetry : IDisposable
{
    private static readonly Histogram<double> Duration = RedisFlowMetrics.SharedMeter.CreateHistogram<double>(
        "redisflow.queue.handler.duration", unit: "s", description: "Time a queue worker's handler ran for one entry, by queue and outcome.");

    private readonly Activity? _activity;
    private readonly string _queue;
    private readonly long _started;
    private string _outcome = "handled";

    private HandleTelemetry(Activity? activity, string queue, long started)
    {
        _activity = activity;
        _queue = queue;
        _started = started;
    }

    /// <summary>Starts the span (when someone listens) and the clock (when the histogram is subscribed); null when neither.</summary>
    public static HandleTelemetry? Start(RedisMsg message)
    {
        var timed = Duration.Enabled;
        if (!RedisFlowInstrumentation.Source.HasListeners())
        {
            return timed ? new HandleTelemetry(null, message.QueueName, Stopwatch.GetTimestamp()) : null;
        }

        ActivityLink[]? links = null;
        if (message.Trace.Parent is { } parent && ActivityContext.TryParse(parent, message.Trace.State, isRemote: true, out var producer))
        {
            links = [new ActivityLink(producer)];
        }

        // A root span: the worker's own ambient activity (if any) is not the cause of this entry.
        Activity.Current = null;
        KeyValuePair<string, object?>[] tags =
        [
            new("messaging.destination.name", message.QueueName),
            new("messaging.system", "redis"),
            new("messaging.operation.type", "process"),
            new("messaging.consumer.group.name", message.GroupName),
            new("messaging.message.id", message.Id),
            new("messaging.message.delivery_count", message.DeliveryCount),
        ];
        var activity = RedisFlowInstrumentation.Source.StartActivity(RedisFlowInstrumentation.HandleSpan, ActivityKind.Consumer, default(ActivityContext), tags, links);
        return new HandleTelemetry(activity, message.QueueName, timed ? Stopwatch.GetTimestamp() : 0);
    }

    /// <summary>Marks the run failed (the entry stays pending).</summary>
    public void Failed(Exception ex)
    {
        RedisFlowInstrumentation.Fail(_activity, ex);
        _outcome = "failed";
    }

    /// <summary>Marks the run cut short by shutdown (the entry stays pending).</summary>
    public void Cancelled() => _outcome = "cancelled";

    /// <summary>Ends the span and records the run's duration with its outcome.</summary>
    public void Dispose()
    {
        _activity?.SetTag("redisflow.outcome", _outcome);
        _activity?.Dispose();
        if (_started != 0)
        {
            Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, new TagList { { "queue", _queue }, { "outcome", _outcome } });
        }
    }
}
