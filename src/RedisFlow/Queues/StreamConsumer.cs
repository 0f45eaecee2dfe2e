namespace RedisFlow.Queues;

/// <summary>
/// One reader of a queue: the stream, group and consumer it reads as, how its poison entries are dead-lettered, and
/// the sink its messages acknowledge through. Each <see cref="RedisMsg"/> keeps its reader, so an ack goes from the
/// handler to the sink without passing back through the code that read it.
/// </summary>
/// <param name="Queue">The stream.</param>
/// <param name="Group">The consumer group.</param>
/// <param name="Consumer">The consumer name entries are delivered to.</param>
/// <param name="Acks">Where the messages read are acknowledged.</param>
/// <param name="DeadLetterMaxLength">Approximate cap of the dead-letter stream poison entries go to.</param>
/// <param name="DeleteDeadLettered">Whether a dead-lettered entry is also deleted from the queue.</param>
internal sealed record StreamConsumer(
    string Queue,
    string Group,
    string Consumer,
    IAckSink Acks,
    long DeadLetterMaxLength = StreamQueue.DefaultDeadLetterMaxLength,
    bool DeleteDeadLettered = false);
