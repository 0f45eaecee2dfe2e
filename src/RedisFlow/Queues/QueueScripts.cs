using RedisFlow.Scripts;

namespace RedisFlow.Queues;

/// <summary>The queue's Lua scripts (<c>Scripts/queue_*.lua</c>), each loaded from its embedded resource once.</summary>
internal static class QueueScripts
{
    /// <summary>Re-adds a pending entry and acknowledges the old id atomically.</summary>
    public static RedisLuaScript Requeue { get; } = RedisLuaScript.FromResource("queue_requeue");

    /// <summary>Moves a pending entry to the dead-letter stream (XADD + XACK [+ XDEL]) atomically.</summary>
    public static RedisLuaScript DeadLetter { get; } = RedisLuaScript.FromResource("queue_dead_letter");

    /// <summary>Puts a dead letter back on its queue and removes it from the dead-letter stream atomically.</summary>
    public static RedisLuaScript Redrive { get; } = RedisLuaScript.FromResource("queue_redrive");

    /// <summary>XTRIM MINID below what every group has acknowledged.</summary>
    public static RedisLuaScript Trim { get; } = RedisLuaScript.FromResource("queue_trim");

    /// <summary>Resets the idle time of entries the consumer still owns.</summary>
    public static RedisLuaScript KeepAlive { get; } = RedisLuaScript.FromResource("queue_keep_alive");

    /// <summary>Field pairs RedisFlow puts before the original fields of a dead letter.</summary>
    public const int DeadLetterMetadataPairs = 4;
}
