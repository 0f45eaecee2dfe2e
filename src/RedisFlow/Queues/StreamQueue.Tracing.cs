using System.Diagnostics;
using RedisFlow.Diagnostics;
using StackExchange.Redis;

namespace RedisFlow.Queues;

internal sealed partial class StreamQueue
{
    /// <summary>
    /// The produce of a process with a trace listener: a Producer span tagged with the queue and the new entry's id,
    /// whose W3C context goes into the entry next to <c>message</c> when the span is sampled.
    /// </summary>
    /// <remarks>Always asks for the id (the tag needs it), then answers what the caller's form answers.</remarks>
    private async Task<TResult> ProduceTracedAsync<TResult>(string queue, byte[] json, Func<RedisValue, TResult> convert, CancellationToken ct)
    {
        using var activity = StartProduceSpan(queue);
        var trace = TraceFields.Of(activity);
        var id = await _db.ExecuteAsync<(string Queue, byte[] Json, TraceFields Trace), RedisValue, string?>(nameof(RedisDb.QueueProductAsync), queue,
            (queue, json, trace), StreamLeanCommands.XAddId, static (db, s) => AddAsync(db, s.Queue, s.Json, s.Trace),
            static id => id.IsNull ? null : (string?)id, null, idempotent: true, ct).ConfigureAwait(false);
        EndProduceSpan(activity, id);
        if (id is null)
        {
            return convert(RedisValue.Null);
        }

        return convert(id);
    }

    /// <summary>The produce span (kind Producer, tagged with the queue); null when nobody listens or it is not sampled.</summary>
    private static Activity? StartProduceSpan(string queue)
    {
        var activity = RedisFlowInstrumentation.Start(RedisFlowInstrumentation.ProduceSpan, "messaging.destination.name", queue, ActivityKind.Producer);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.operation.type", "send");
        return activity;
    }

    /// <summary>Tags the produce span with the new entry's id, or marks it failed.</summary>
    private static void EndProduceSpan(Activity? activity, string? id)
    {
        if (id is null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "not added");
        }
        else
        {
            activity?.SetTag("messaging.message.id", id);
        }
    }

    /// <summary>XADD of <c>message</c>, then the trace context when there is one (none: the entry RAGFlow writes).</summary>
    private static Task<RedisValue> AddAsync(IDatabase db, string queue, byte[] json, TraceFields trace) =>
        trace.Parent is null ? db.StreamAddAsync(queue, MessageField, json) : db.StreamAddAsync(queue, trace.Entry(MessageField, json));
}
