using System.Text.Json;
using Microsoft.Extensions.Options;
using RedisFlow.CacheServer.Diagnostics;
using StackExchange.Redis;

namespace RedisFlow.Dashboard.Data;

/// <summary>
/// The cache page: the file-cache daemon's cached files (string keys <c>bucket/location</c> with a TTL up to
/// <see cref="DashboardOptions.CacheMaxTtl"/>, as <c>redisflow cache ls</c> lists them) and the status each running
/// daemon publishes (<see cref="CacheStatus"/>).
/// </summary>
internal sealed class CacheReader(RedisDb db, IOptions<DashboardOptions> options)
{
    // Deletes KEYS[1] only while it still looks like a cached file (a string with a TTL of at most ARGV[1] ms), in
    // one step: 1 deleted, 0 missing, -1 something else. The same rule as `redisflow cache evict`.
    private const string EvictScript = """
        if redis.call('TYPE', KEYS[1])['ok'] ~= 'string' then return redis.call('EXISTS', KEYS[1]) == 1 and -1 or 0 end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 or ttl > tonumber(ARGV[1]) then return -1 end
        return redis.call('DEL', KEYS[1])
        """;

    public async Task<CachePage> ReadAsync(CancellationToken ct)
    {
        var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
        var files = new List<CachedFile>();
        foreach (var key in await KeyScanner.ScanAllAsync(db, [options.Value.CachePattern], options.Value.MaxKeys, ct).ConfigureAwait(false))
        {
            // The daemon's claim and temporary keys start with a hash tag; they are not cached files.
            if (!IsCacheName(key) || await database.KeyTypeAsync(key).ConfigureAwait(false) != RedisType.String)
            {
                continue;
            }

            var ttl = await database.KeyTimeToLiveAsync(key).ConfigureAwait(false);
            if (ttl is { } t && t <= options.Value.CacheMaxTtl)
            {
                files.Add(new CachedFile(key, await database.StringLengthAsync(key).ConfigureAwait(false), (long)t.TotalMilliseconds));
            }
        }

        var daemons = new List<CacheStatus>();
        foreach (var key in await KeyScanner.ScanAllAsync(db, [CacheStatus.KeyPrefix + "*"], 100, ct).ConfigureAwait(false))
        {
            if (await db.GetAsync(key, ct).ConfigureAwait(false) is { } json && TryParse(json) is { } status)
            {
                daemons.Add(status);
            }
        }

        return new CachePage(files, files.Sum(f => f.Size), daemons, (long)options.Value.CacheMaxTtl.TotalMilliseconds);
    }

    /// <summary>Removes a cached file now; false when it is not one (any other key is refused) or is already gone.</summary>
    public async Task<bool> EvictAsync(string key, CancellationToken ct)
    {
        if (!IsCacheName(key))
        {
            return false;
        }

        var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
        var result = await database.ScriptEvaluateAsync(EvictScript, [key], [(long)options.Value.CacheMaxTtl.TotalMilliseconds]).ConfigureAwait(false);
        return (long)result == 1;
    }

    private static bool IsCacheName(string key) => key.Contains('/', StringComparison.Ordinal) && !key.StartsWith('{');

    private static CacheStatus? TryParse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<CacheStatus>(json, CacheStatus.JsonOptions);
        }
        catch (JsonException)
        {
            return null; // Written by another version: skipped rather than breaking the page.
        }
    }
}

internal sealed record CachedFile(string Key, long Size, long TtlMs);

internal sealed record CachePage(IReadOnlyList<CachedFile> Files, long TotalBytes, IReadOnlyList<CacheStatus> Daemons, long MaxTtlMs);
