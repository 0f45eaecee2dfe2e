using System.Diagnostics;
using System.Globalization;
using RedisFlow.Diagnostics;
using RedisFlow.Queues;
using RedisFlow.Testing;
using RedisFlow.Testing.Diagnostics;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Queues;
using StackExchange.Redis;

namespace RedisFlow.Tests.Diagnostics;

/// <summary>
/// Produce and handle spans, the trace context in the stream entry (only when sampled), RAGFlow's Python consumer
/// reading such an entry, and the handler duration histogram.
/// </summary>
public sealed class QueueTracingTests(RedisFixture fixture) : QueueTestBase(fixture)
{
    private static string Consumer => Path.Combine(AppContext.BaseDirectory, "Python", "ragflow_queue_consumer.py");

    [Fact]
    public async Task A_sampled_produce_carries_traceparent_and_the_handle_span_is_a_root_linked_to_it()
    {
        var queue = Key();
        using var spans = new SpanCollector(queue);
        using var metrics = new MetricCollector(queue);
        var id = await Db.QueueProductWithIdAsync(queue, new { n = 1 }, Ct);
        Assert.NotNull(id);

        var produce = Assert.Single(spans.Named(RedisFlowInstrumentation.ProduceSpan));
        Assert.Equal(ActivityKind.Producer, produce.Kind);
        Assert.Equal(queue, produce.GetTagItem("messaging.destination.name"));
        Assert.Equal(id, produce.GetTagItem("messaging.message.id"));
        var entry = Assert.Single(await (await RawAsync()).StreamRangeAsync(queue));
        Assert.Equal(["message", RedisFlowInstrumentation.TraceParentField], entry.Values.Select(v => (string)v.Name!));
        Assert.Equal("{\"n\":1}", (string?)entry.Values[0].Value);
        Assert.Equal(produce.Id, (string?)entry.Values[1].Value);

        var handle = await HandleOneAsync(queue, spans);
        Assert.Equal(ActivityKind.Consumer, handle.Kind);
        Assert.Equal(default, handle.ParentSpanId); // a root: the producer is a link, not the parent
        var link = Assert.Single(handle.Links);
        Assert.Equal(produce.TraceId, link.Context.TraceId);
        Assert.Equal(produce.SpanId, link.Context.SpanId);
        Assert.Equal(id, handle.GetTagItem("messaging.message.id"));
        await WaitUntilAsync(() => metrics.Of("redisflow.queue.handler.duration").Count == 1, what: "the handler duration");
        Assert.Equal("handled", metrics.Of("redisflow.queue.handler.duration")[0].Tags["outcome"]);

        TestReport.Write(string.Create(CultureInfo.InvariantCulture,
            $"trace of entry {id}: {produce.OperationName} (kind {produce.Kind}, trace {produce.TraceId}, span {produce.SpanId}, parent none) " +
            $"-> entry fields [message, traceparent={entry.Values[1].Value}] -> {handle.OperationName} (kind {handle.Kind}, trace {handle.TraceId}, " +
            $"span {handle.SpanId}, parent none, link {link.Context.TraceId}/{link.Context.SpanId})"));
    }

    [Fact]
    public async Task An_entry_without_trace_context_as_python_writes_it_gets_a_root_handle_span_without_links()
    {
        var queue = Key();
        using var spans = new SpanCollector(queue);
        await (await RawAsync()).ExecuteAsync("XADD", (RedisKey)queue, "*", "message", "{\"n\": 2}");

        var handle = await HandleOneAsync(queue, spans);
        Assert.Equal(default, handle.ParentSpanId);
        Assert.Empty(handle.Links);
    }

    [Fact]
    public async Task An_unsampled_produce_writes_the_entry_byte_identical_to_an_untraced_one()
    {
        var queue = Key();
        using var spans = new SpanCollector("matches-no-key-" + Guid.NewGuid().ToString("N")); // listening, never sampling
        Assert.NotNull(await Db.QueueProductWithIdAsync(queue, new { n = 3 }, Ct));
        Assert.True(await Db.QueueProductAsync(queue, new { n = 3 }, Ct));

        var entries = await (await RawAsync()).StreamRangeAsync(queue);
        Assert.Equal(2, entries.Length);
        Assert.All(entries, e => Assert.Equal(["message"], e.Values.Select(v => (string)v.Name!)));
        Assert.All(entries, e => Assert.Equal("{\"n\":3}", (string?)e.Values[0].Value));
        Assert.Empty(spans.Spans);
    }

    [Fact]
    public async Task Ragflows_python_consumer_reads_an_entry_carrying_traceparent_and_ignores_the_field()
    {
        var queue = Key();
        using var spans = new SpanCollector(queue);
        var id = await Db.QueueProductWithIdAsync(queue, new { doc_id = "d1", name = "文档", progress = 0.5 }, Ct);
        Assert.NotNull(id);

        var output = await PythonPeer.RunAsync(Consumer, [Fixture.Server.Port.ToString(CultureInfo.InvariantCulture), Db.Options.Db.ToString(CultureInfo.InvariantCulture), queue, "rag_flow_svr_task_broker", "python"], Ct);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(id, lines[0]);
        Assert.Equal("message,traceparent", lines[1]); // the field was there, and RedisMsg loaded only message
        Assert.Equal("{\"doc_id\": \"d1\", \"name\": \"\\u6587\\u6863\", \"progress\": 0.5}", lines[2]);
        var info = await Db.QueueInfoAsync(queue, "rag_flow_svr_task_broker", Ct);
        Assert.Equal(0, info?.Pending); // acknowledged by Python
    }

    private async Task<Activity> HandleOneAsync(string queue, SpanCollector spans)
    {
        var options = new QueueWorkerOptions { QueueName = queue, GroupName = "g", ConsumerName = "c" };
        await using (await RunningWorker.StartAsync(Db, options, static (_, _) => Task.CompletedTask))
        {
            await WaitUntilAsync(() => spans.Named(RedisFlowInstrumentation.HandleSpan).Count == 1, what: "the handle span");
        }

        return spans.Named(RedisFlowInstrumentation.HandleSpan)[0];
    }
}
