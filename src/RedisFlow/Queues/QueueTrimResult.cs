namespace RedisFlow.Queues;

/// <summary>What a trim did.</summary>
/// <param name="Deleted">Entries removed.</param>
/// <param name="MinId">Entries below this id were eligible (acknowledged by every group); null when nothing could be trimmed.</param>
public sealed record QueueTrimResult(long Deleted, string? MinId);
