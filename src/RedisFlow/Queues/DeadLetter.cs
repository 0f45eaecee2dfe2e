namespace RedisFlow.Queues;

/// <summary>One entry of a queue's dead-letter stream (<see cref="QueueKeys.DeadLetter"/>).</summary>
/// <param name="Id">The id in the dead-letter stream (what re-driving takes).</param>
/// <param name="Reason">Why it was moved: <see cref="DeadLetterReasons"/> or a handler's own reason.</param>
/// <param name="SourceId">Its id in the queue.</param>
/// <param name="Group">The consumer group that gave up on it.</param>
/// <param name="Deliveries">How many times it had been delivered.</param>
/// <param name="Message">Its <c>message</c> field as written, or null when it had none.</param>
/// <param name="Fields">Every field of the original entry, in order.</param>
public sealed record DeadLetter(string Id, string Reason, string SourceId, string Group, long Deliveries, string? Message, IReadOnlyList<KeyValuePair<string, string>> Fields);
