using System.Globalization;
using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer;
using RedisFlow.Scripts;
using StackExchange.Redis;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary>
/// What the <c>cache</c> commands accept as a cached file: a key <c>bucket/location</c> (not one of the daemon's
/// <c>{…}</c> claim or temporary keys) holding a string with a TTL no longer than <c>Cache:Ttl</c>. A task stream,
/// a lock or a key without TTL is something else, which these commands must not read out or delete
/// (<c>--force</c> overrides).
/// </summary>
internal static class CacheKeyShape
{
    private static readonly RedisLuaScript EvictScript =
        RedisLuaScript.FromResource(typeof(CacheKeyShape).Assembly, "RedisFlow.Cli.Scripts.evict_cached.lua");

    /// <summary><c>Cache:Ttl</c> from configuration (12 minutes by default, as RAGFlow).</summary>
    public static TimeSpan MaxTtl(IConfiguration configuration)
    {
        var text = configuration.GetSection(CacheOptions.SectionName)["Ttl"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new CacheOptions().Ttl;
        }

        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var ttl) || ttl <= TimeSpan.Zero)
        {
            throw new RedisFlowConfigurationException("Cache:Ttl", "is not a positive time span such as 00:12:00.");
        }

        return ttl;
    }

    /// <summary>Whether the name has the shape of a cached file's key.</summary>
    public static bool IsCacheName(string key) => key.Contains('/', StringComparison.Ordinal) && !key.StartsWith('{');

    /// <summary>Why <paramref name="key"/> is not a cached file, or null when it is one (or is missing).</summary>
    public static async Task<string?> RefusalAsync(IDatabase database, string key, TimeSpan maxTtl)
    {
        if (!IsCacheName(key))
        {
            return $"'{key}' is not a cached file's key (bucket/location)";
        }

        var type = await database.KeyTypeAsync(key).ConfigureAwait(false);
        if (type == RedisType.None)
        {
            return null;
        }

        if (type != RedisType.String)
        {
            return $"'{key}' is a {type.ToString().ToLowerInvariant()}, not a cached file";
        }

        var ttl = await database.KeyTimeToLiveAsync(key).ConfigureAwait(false);
        return ttl is null || ttl > maxTtl
            ? $"'{key}' has {(ttl is null ? "no TTL" : $"a TTL of {ttl.Value.TotalSeconds:0} s")}, longer than Cache:Ttl ({maxTtl.TotalSeconds:0} s): not a cached file"
            : null;
    }

    /// <summary>Deletes <paramref name="key"/> if it is a cached file, atomically: 1 deleted, 0 missing, -1 another type, -2 no or a longer TTL.</summary>
    public static async Task<long> EvictAsync(IDatabase database, string key, TimeSpan maxTtl)
    {
        var result = await EvictScript.EvaluateAsync(database, [key], [(long)maxTtl.TotalMilliseconds]).ConfigureAwait(false);
        return (long)result;
    }
}
