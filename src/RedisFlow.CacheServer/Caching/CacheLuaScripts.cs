using RedisFlow.Scripts;

namespace RedisFlow.CacheServer.Caching;

/// <summary>The daemon's Lua scripts (embedded in the RedisFlow library as <c>Scripts/cache_*.lua</c>).</summary>
internal static class CacheLuaScripts
{
    public static RedisLuaScript Claim { get; } = RedisLuaScript.FromResource("cache_claim");

    public static RedisLuaScript Append { get; } = RedisLuaScript.FromResource("cache_append");

    public static RedisLuaScript Put { get; } = RedisLuaScript.FromResource("cache_put");

    public static RedisLuaScript Commit { get; } = RedisLuaScript.FromResource("cache_commit");

    public static RedisLuaScript Abort { get; } = RedisLuaScript.FromResource("cache_abort");
}
