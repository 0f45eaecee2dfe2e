using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Trace;
using RedisFlow.Diagnostics;
using RedisFlow.OpenTelemetry;
using RedisFlow.Queues;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Queues;
using StackExchange.Redis;

namespace RedisFlow.Tests.Diagnostics;

/// <summary>
/// The OpenTelemetry SDK wired as an application wires it (<c>AddRedisFlowInstrumentation</c>), spans collected by
/// the in-memory exporter: one entry's trace from produce to handle, as exported, printed for people to read.
/// </summary>
/// <remarks>
/// Runs alone: an SDK tracer provider samples every RedisFlow span in the process, so tests running beside it would
/// get trace context in their entries.
/// </remarks>
[Collection(Name)]
public sealed class OpenTelemetrySdkTests(RedisFixture fixture) : QueueTestBase(fixture)
{
    public const string Name = "OpenTelemetry SDK tracer provider (alone)";

    [Fact]
    public async Task AddRedisFlowInstrumentation_exports_an_entrys_produce_span_and_its_handle_span_linked_to_it()
    {
        var queue = Key();
        var exported = new List<Activity>();
        string? id;
        using (var tracing = Sdk.CreateTracerProviderBuilder().AddRedisFlowInstrumentation().AddInMemoryExporter(exported).Build())
        {
            id = await Db.QueueProductWithIdAsync(queue, new { doc_id = "d1" }, Ct);
            Assert.NotNull(id);
            var options = new QueueWorkerOptions { QueueName = queue, GroupName = "g", ConsumerName = "c" };
            await using (await RunningWorker.StartAsync(Db, options, static (_, _) => Task.CompletedTask))
            {
                await WaitUntilAsync(() => Spans(exported, RedisFlowInstrumentation.HandleSpan, id).Count == 1, what: "the exported handle span");
            }

            Assert.True(tracing.ForceFlush(10_000));
        }

        var produce = Assert.Single(Spans(exported, RedisFlowInstrumentation.ProduceSpan, id));
        var handle = Assert.Single(Spans(exported, RedisFlowInstrumentation.HandleSpan, id));
        Assert.Equal(ActivityKind.Producer, produce.Kind);
        Assert.Equal(queue, produce.GetTagItem("messaging.destination.name"));
        Assert.Equal(default, produce.ParentSpanId);
        var entry = Assert.Single(await (await RawAsync()).StreamRangeAsync(queue));
        Assert.Equal(produce.Id, (string?)entry[RedisFlowInstrumentation.TraceParentField]); // W3C traceparent of the produce span

        Assert.Equal(ActivityKind.Consumer, handle.Kind);
        Assert.Equal(default, handle.ParentSpanId); // a root of its own trace, linked to the producer
        Assert.NotEqual(produce.TraceId, handle.TraceId);
        var link = Assert.Single(handle.Links);
        Assert.Equal(produce.TraceId, link.Context.TraceId);
        Assert.Equal(produce.SpanId, link.Context.SpanId);
        Assert.Equal("handled", handle.GetTagItem("redisflow.outcome"));

        // One line each, sorted together in the test command's report.
        var prefix = $"trace of entry {id} as exported by the OpenTelemetry SDK (AddRedisFlowInstrumentation, in-memory exporter)";
        TestReport.Write($"{prefix} 1/3: {Describe(produce)}");
        TestReport.Write($"{prefix} 2/3: XADD {queue} {id} message {entry["message"]} {RedisFlowInstrumentation.TraceParentField} {entry[RedisFlowInstrumentation.TraceParentField]}");
        TestReport.Write($"{prefix} 3/3: {Describe(handle)}");
    }

    /// <summary>The exported spans named <paramref name="name"/> of entry <paramref name="id"/> (the exporter adds as spans end).</summary>
    private static List<Activity> Spans(List<Activity> exported, string name, string id)
    {
        // ToArray copies without enumerating (no "collection was modified" while the exporter adds); a slot counted
        // but not yet filled reads as null.
        Activity?[] snapshot = exported.ToArray();
        return [.. snapshot.OfType<Activity>().Where(a => a.OperationName == name && Equals(a.GetTagItem("messaging.message.id"), id))];
    }

    private static string Describe(Activity span)
    {
        var links = span.Links.Select(l => $"{l.Context.TraceId}/{l.Context.SpanId}").ToList();
        var tags = span.TagObjects.Select(t => $"{t.Key}={Convert.ToString(t.Value, CultureInfo.InvariantCulture)}");
        return $"{span.OperationName} kind={span.Kind} trace={span.TraceId} span={span.SpanId} " +
               $"parent={(span.ParentSpanId == default ? "none" : span.ParentSpanId.ToString())} " +
               $"links=[{string.Join(", ", links)}] status={span.Status} {string.Join(" ", tags)}";
    }
}

/// <summary>Tests that must not run beside others (see <see cref="OpenTelemetrySdkTests"/>).</summary>
[CollectionDefinition(OpenTelemetrySdkTests.Name, DisableParallelization = true)]
public sealed class OpenTelemetrySdkCollection;
