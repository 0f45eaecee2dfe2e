using RedisFlow.Scripts;

namespace RedisFlow.Locking;

/// <summary>The lock's Lua scripts (<c>Scripts/lock_*.lua</c>), each loaded once.</summary>
internal static class LockScripts
{
    /// <summary>SET NX PX (own token counts as free) + INCR of the fencing counter, atomically.</summary>
    public static RedisLuaScript Acquire { get; } = RedisLuaScript.FromResource("lock_acquire");

    /// <summary>PEXPIRE (or only check) while the key holds our token.</summary>
    public static RedisLuaScript Extend { get; } = RedisLuaScript.FromResource("lock_extend");

    /// <summary>Compare-and-delete, then PUBLISH the next waiter's token when someone waits.</summary>
    public static RedisLuaScript Release { get; } = RedisLuaScript.FromResource("lock_release");

    /// <summary>A waiter leaving without the lock: deregisters, and wakes the next one if the lock is free.</summary>
    public static RedisLuaScript Unqueue { get; } = RedisLuaScript.FromResource("lock_unqueue");
}
