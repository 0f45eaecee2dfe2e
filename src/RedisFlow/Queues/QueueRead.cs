using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>The result of one group read: the entries, or why there are none.</summary>
internal readonly record struct QueueRead(StreamEntry[] Entries, bool Failed, bool NoGroup)
{
    public static QueueRead Fail { get; } = new([], true, false);

    public static QueueRead MissingGroup { get; } = new([], false, true);
}
