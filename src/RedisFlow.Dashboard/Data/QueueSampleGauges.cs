using System.Diagnostics.Metrics;

namespace RedisFlow.Dashboard.Data;

/// <summary>
/// The queues page's latest sample as observable gauges on the meter <c>RedisFlow.Dashboard</c>: length, pending,
/// lag and dead letters of every queue the dashboard shows. A scrape reads the sample the background sampler took
/// (every <see cref="DashboardOptions.SampleInterval"/>) and sends nothing to Redis.
/// </summary>
/// <remarks>
/// Named apart from a worker's <c>redisflow.queue.*</c> gauges: both may live in one process (an app that runs a
/// <c>QueueWorker</c> and mounts the dashboard), and one name must not mean two series.
/// </remarks>
internal static class QueueSampleGauges
{
    /// <summary>The meter's name (listed in <c>RedisFlowInstrumentation.MeterNames</c>).</summary>
    public const string MeterName = "RedisFlow.Dashboard";

    /// <summary>Creates the gauges on a meter of <paramref name="meters"/> (which owns and disposes it), reading <paramref name="rows"/>.</summary>
    public static void Register(IMeterFactory meters, Func<IReadOnlyList<QueueRow>> rows)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("redisflow.dashboard.queue.depth",
            () => rows().Select(static r => new Measurement<long>(r.Length, Tag("queue", r.Name))),
            unit: "{entry}", description: "Entries in the queue's stream (XLEN), as last sampled by the dashboard.");
        meter.CreateObservableGauge("redisflow.dashboard.queue.pending",
            () => rows().SelectMany(static r => r.Groups.Select(g => new Measurement<long>(g.Pending, Tag("queue", r.Name), Tag("group", g.Name)))),
            unit: "{entry}", description: "Entries delivered to the group and not acknowledged, as last sampled by the dashboard.");
        meter.CreateObservableGauge("redisflow.dashboard.queue.lag",
            () => rows().SelectMany(static r => r.Groups.Where(static g => g.Lag is not null)
                .Select(g => new Measurement<long>(g.Lag!.Value, Tag("queue", r.Name), Tag("group", g.Name)))),
            unit: "{entry}", description: "Entries not yet delivered to the group (unknown lags left out), as last sampled by the dashboard.");
        meter.CreateObservableGauge("redisflow.dashboard.queue.dead_letters",
            () => rows().Where(static r => r.DeadLetters is not null).Select(static r => new Measurement<long>(r.DeadLetters!.Value, Tag("queue", r.Name))),
            unit: "{entry}", description: "Entries in the queue's dead-letter stream, as last sampled by the dashboard.");
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
