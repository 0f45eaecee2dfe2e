namespace RedisFlow.Scripts;

/// <summary>Every Lua script of the library, each loaded from its embedded resource once.</summary>
internal static class LuaScripts
{
    /// <summary>Deletes a key only when it holds the given value.</summary>
    public static RedisLuaScript DeleteIfEqual { get; } = RedisLuaScript.FromResource("delete_if_equal");
}
