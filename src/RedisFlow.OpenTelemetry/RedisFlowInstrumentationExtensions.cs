using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RedisFlow.Diagnostics;

namespace RedisFlow.OpenTelemetry;

/// <summary>Registers RedisFlow's spans and metrics with OpenTelemetry.</summary>
public static class RedisFlowInstrumentationExtensions
{
    /// <summary>
    /// Subscribes the tracer provider to the <c>RedisFlow</c> activity source: produce, handle (linked to the
    /// producer), lock acquire/wait/hold, cache cycle and file spans.
    /// </summary>
    public static TracerProviderBuilder AddRedisFlowInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(RedisFlowInstrumentation.ActivitySourceName);
    }

    /// <summary>Subscribes the meter provider to the <c>RedisFlow</c>, <c>RedisFlow.CacheServer</c> and <c>RedisFlow.Dashboard</c> meters.</summary>
    public static MeterProviderBuilder AddRedisFlowInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter([.. RedisFlowInstrumentation.MeterNames]);
    }
}
