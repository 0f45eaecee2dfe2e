namespace RedisFlow.Queues;

/// <summary>The state of one consumer group of a queue (one group of XINFO GROUPS; seed <c>queue_info</c>).</summary>
/// <param name="Name">The group name.</param>
/// <param name="Consumers">Consumers known to the group.</param>
/// <param name="Pending">Entries delivered and not yet acknowledged.</param>
/// <param name="LastDeliveredId">The id of the last entry delivered to the group.</param>
/// <param name="EntriesRead">Entries the group has read (Redis 7+; null before, or when Redis cannot tell).</param>
/// <param name="Lag">Entries not yet delivered to the group (Redis 7+; null when Redis cannot tell).</param>
public sealed record QueueInfo(string Name, long Consumers, long Pending, string LastDeliveredId, long? EntriesRead, long? Lag);
