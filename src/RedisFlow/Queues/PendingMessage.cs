namespace RedisFlow.Queues;

/// <summary>One delivered-but-unacknowledged entry of a consumer group (one row of XPENDING).</summary>
/// <param name="Id">The stream entry id.</param>
/// <param name="Consumer">The consumer that holds it.</param>
/// <param name="Idle">Time since it was last delivered to (or claimed by, or kept alive by) that consumer.</param>
/// <param name="DeliveryCount">How many times it has been delivered.</param>
public sealed record PendingMessage(string Id, string Consumer, TimeSpan Idle, long DeliveryCount);
