namespace RedisFlow.Scripts;

/// <summary>Every Lua script of the library, each loaded from its embedded resource once.</summary>
internal static class LuaScripts
{
    /// <summary>Deletes a key only when it holds the given value.</summary>
    public static RedisLuaScript DeleteIfEqual { get; } = RedisLuaScript.FromResource("delete_if_equal");

    /// <summary>The next id of a counter, numbered as RAGFlow numbers it.</summary>
    public static RedisLuaScript IdGenerate { get; } = RedisLuaScript.FromResource("id_generate");

    /// <summary>The stored secret, or the given one stored now.</summary>
    public static RedisLuaScript SecretGetOrCreate { get; } = RedisLuaScript.FromResource("secret_get_or_create");

    /// <summary>RAGFlow's token-bucket rate limit.</summary>
    public static RedisLuaScript TokenBucket { get; } = RedisLuaScript.FromResource("token_bucket");
}
