using RedisFlow.Scripts;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// The daemon's Lua scripts (embedded in the RedisFlow library as <c>Scripts/cache_*.lua</c>). None carries file
/// bytes: those go by plain <c>APPEND</c> / <c>SET</c>, which Redis reads straight into the value.
/// </summary>
internal static class CacheLuaScripts
{
    public static RedisLuaScript Claim { get; } = RedisLuaScript.FromResource("cache_claim");

    public static RedisLuaScript Renew { get; } = RedisLuaScript.FromResource("cache_renew");

    public static RedisLuaScript Commit { get; } = RedisLuaScript.FromResource("cache_commit");

    public static RedisLuaScript Abort { get; } = RedisLuaScript.FromResource("cache_abort");
}
