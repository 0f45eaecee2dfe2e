using System.Collections.Concurrent;
using System.Diagnostics;
using RedisFlow.Diagnostics;

namespace RedisFlow.Testing.Diagnostics;

/// <summary>
/// Records the <c>RedisFlow</c> spans whose creation tags match a test's own key (and their children), so tests running in
/// parallel neither see each other's spans nor get their entries traced (unmatched spans are not even created).
/// </summary>
public sealed class SpanCollector : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly string _match;
    private readonly ConcurrentDictionary<ActivityTraceId, byte> _traces = new();

    /// <summary>Collects spans having a tag value containing <paramref name="match"/> (and the children of those).</summary>
    public SpanCollector(string match)
    {
        _match = match;
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == RedisFlowInstrumentation.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => Wanted(options) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            // Every listener sees every sampled span: keep only this collector's traces.
            ActivityStarted = activity =>
            {
                if (_traces.ContainsKey(activity.TraceId))
                {
                    Started.Enqueue(activity);
                }
            },
            ActivityStopped = activity =>
            {
                if (_traces.ContainsKey(activity.TraceId))
                {
                    Spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Spans started so far (stopped or not), in start order.</summary>
    public ConcurrentQueue<Activity> Started { get; } = new();

    /// <summary>Spans stopped so far, in stop order.</summary>
    public ConcurrentQueue<Activity> Spans { get; } = new();

    /// <summary>The stopped spans named <paramref name="name"/>.</summary>
    public IReadOnlyList<Activity> Named(string name) => [.. Spans.Where(a => a.OperationName == name)];

    /// <summary>Also collects the spans of trace <paramref name="traceId"/> (a test's own root activity).</summary>
    public void Follow(ActivityTraceId traceId) => _traces.TryAdd(traceId, 0);

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private bool Wanted(in ActivityCreationOptions<ActivityContext> options)
    {
        if (options.Parent != default && _traces.ContainsKey(options.Parent.TraceId))
        {
            return true;
        }

        foreach (var tag in options.Tags ?? [])
        {
            if (tag.Value is string value && value.Contains(_match, StringComparison.Ordinal))
            {
                _traces.TryAdd(options.TraceId, 0);
                return true;
            }
        }

        return false;
    }
}
