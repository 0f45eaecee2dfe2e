using System.Text.Json;
using RedisFlow.Diagnostics;

namespace RedisFlow.Queues;

/// <summary>
/// One entry consumed from a queue's consumer group (the seed's <c>RedisMsg</c>): its id, its decoded
/// <c>message</c> JSON, and the acknowledgement that removes it from the group's pending list.
/// </summary>
public sealed class RedisMsg
{
    // Who read the entry: its queue, group and consumer, and the sink its ack goes to.
    private readonly StreamConsumer _consumer;
    private readonly JsonElement _message;
    private int _acknowledged;

    internal RedisMsg(StreamConsumer consumer, string id, JsonElement message, long deliveryCount)
    {
        _consumer = consumer;
        Id = id;
        _message = message;
        DeliveryCount = deliveryCount;
    }

    /// <summary>The queue (stream) the entry came from.</summary>
    public string QueueName => _consumer.Queue;

    /// <summary>The consumer group it was delivered to.</summary>
    public string GroupName => _consumer.Group;

    /// <summary>The consumer it was delivered to.</summary>
    public string ConsumerName => _consumer.Consumer;

    /// <summary>The stream entry id, such as <c>1718000000000-0</c>.</summary>
    public string Id { get; }

    /// <summary>How many times the entry has been delivered, when known (1 for a first delivery); 0 when not known.</summary>
    public long DeliveryCount { get; }

    /// <summary>The producer's trace context carried by the entry, read only while a trace listener is subscribed.</summary>
    internal TraceFields Trace { get; init; }

    /// <summary>Whether <see cref="AckAsync"/> has succeeded for this instance.</summary>
    public bool IsAcknowledged => Volatile.Read(ref _acknowledged) != 0;

    /// <summary>
    /// Acknowledges the entry (XACK), so it leaves the group's pending list (seed <c>ack</c>). True when Redis
    /// answered, whether or not the entry was still pending; false (after a logged warning) when it could not.
    /// </summary>
    public async Task<bool> AckAsync(CancellationToken ct = default)
    {
        if (IsAcknowledged)
        {
            return true;
        }

        var acked = await _consumer.Acks.AckAsync(this, ct).ConfigureAwait(false);
        if (acked)
        {
            Volatile.Write(ref _acknowledged, 1);
        }

        return acked;
    }

    /// <summary>
    /// The decoded <c>message</c> (seed <c>get_message</c>). Python's bare <c>NaN</c>/<c>Infinity</c> appear as
    /// the strings <c>"NaN"</c>/<c>"Infinity"</c>; <see cref="GetMessage{T}"/> reads them into <see cref="double"/>.
    /// </summary>
    public JsonElement GetMessage() => _message;

    /// <summary>The <c>message</c> deserialized as <typeparamref name="T"/> with <see cref="RedisFlowJson.Options"/>.</summary>
    /// <exception cref="JsonException">The JSON does not fit <typeparamref name="T"/>.</exception>
    public T? GetMessage<T>() => _message.Deserialize<T>(RedisFlowJson.Options);

    /// <summary>The stream entry id (seed <c>get_msg_id</c>).</summary>
    public string GetMsgId() => Id;

    /// <inheritdoc />
    public override string ToString() => $"{QueueName}/{GroupName} {Id}";
}
