using RedisFlow.Scripts;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// The daemon's Lua scripts (<c>Scripts/cache_*.lua</c>, embedded in this assembly). None carries file bytes: those
/// go by plain <c>APPEND</c> / <c>SET</c>, which Redis reads straight into the value.
/// </summary>
internal static class CacheLuaScripts
{
    public static RedisLuaScript Claim { get; } = Load("cache_claim");

    public static RedisLuaScript Renew { get; } = Load("cache_renew");

    public static RedisLuaScript Commit { get; } = Load("cache_commit");

    public static RedisLuaScript Abort { get; } = Load("cache_abort");

    private static RedisLuaScript Load(string name) =>
        RedisLuaScript.FromResource(typeof(CacheLuaScripts).Assembly, $"RedisFlow.CacheServer.Scripts.{name}.lua");
}
