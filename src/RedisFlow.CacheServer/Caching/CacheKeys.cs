using RedisFlow.Cluster;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// The keys the daemon writes beside a cached file: a claim key and a temporary key, both in the same Redis Cluster
/// hash slot as the file's key <c>bucket/location</c>, so one Lua script may touch all of them.
/// </summary>
/// <remarks>
/// The file's key is never changed (RAGFlow's workers read exactly <c>bucket/location</c>). The derived keys get the
/// same slot this way (<see cref="RedisHashSlot.SameSlotKey"/>):
/// <list type="bullet">
/// <item>the key has a hash tag (a non-empty <c>{...}</c>): the suffix is appended, the tag is kept;</item>
/// <item>the key has no <c>}</c>: it is wrapped, <c>{bucket/location}:claim</c>, which hashes exactly the key;</item>
/// <item>otherwise (a <c>}</c> without a usable tag, rare): a short base-36 tag with the same CRC16 slot is searched
/// once per slot and used, <c>{tag}:claim:bucket/location</c>.</item>
/// </list>
/// </remarks>
public static class CacheKeys
{
    /// <summary>The claim key of <paramref name="cacheKey"/> (held by the daemon fetching that file).</summary>
    public static string ClaimKey(string cacheKey) => Derived(cacheKey, "claim");

    /// <summary>The temporary key a daemon writes <paramref name="cacheKey"/>'s chunks into before renaming it.</summary>
    public static string TempKey(string cacheKey, string token) => Derived(cacheKey, "tmp:" + token);

    /// <summary>The Redis Cluster hash slot of <paramref name="key"/> (CRC16-XMODEM of the key or its hash tag, mod 16384).</summary>
    public static int HashSlot(string key) => RedisHashSlot.Of(key);

    // Base-36 tags: the names existing caches and running daemons already use.
    private static string Derived(string cacheKey, string suffix) => RedisHashSlot.SameSlotKey(cacheKey, suffix, HashTagFormat.Base36);
}
