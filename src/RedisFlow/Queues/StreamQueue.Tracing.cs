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
        using var activity = RedisFlowInstrumentation.Start(RedisFlowInstrumentation.ProduceSpan, "messaging.destination.name", queue, ActivityKind.Producer);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.operation.type", "send");
        var trace = TraceFields.Of(activity);
        var id = await _db.ExecuteAsync<(string Queue, byte[] Json, TraceFields Trace), RedisValue, string?>(nameof(RedisDb.QueueProductAsync), queue,
            (queue, json, trace), StreamLeanCommands.XAddId,
            static (db, s) => s.Trace.Parent is null ? db.StreamAddAsync(s.Queue, MessageField, s.Json) : db.StreamAddAsync(s.Queue, s.Trace.Entry(MessageField, s.Json)),
            static id => id.IsNull ? null : (string?)id, null, idempotent: true, ct).ConfigureAwait(false);
        if (id is null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "not added");
            return convert(RedisValue.Null);
        }

        activity?.SetTag("messaging.message.id", id);
        return convert(id);
    }
}
