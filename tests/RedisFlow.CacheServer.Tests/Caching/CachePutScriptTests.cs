using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>
/// The one-round-trip publish of a file that fits in one chunk (<c>cache_put.lua</c>), on a real Redis: it keeps the
/// rules of the append + commit pair it replaces for small files.
/// </summary>
public sealed class CachePutScriptTests(CacheRedisFixture redis)
{
    private const long TtlMs = 600_000;

    private static readonly Lazy<string> Script = new(LoadScript);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publishes_with_the_ttl_and_releases_its_own_claim()
    {
        var (db, key, claim) = await KeysAsync();
        await db.StringSetAsync(claim, "mine", TimeSpan.FromMinutes(1));

        Assert.Equal(1, await PutAsync(db, key, claim, "content", "mine"));

        Assert.Equal("content", (string?)await db.StringGetAsync(key));
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.False(await db.KeyExistsAsync(claim));
    }

    [Fact]
    public async Task Writes_nothing_while_another_daemon_holds_the_claim()
    {
        var (db, key, claim) = await KeysAsync();
        await db.StringSetAsync(claim, "other", TimeSpan.FromMinutes(1));

        Assert.Equal(-1, await PutAsync(db, key, claim, "content", "mine"));

        Assert.False(await db.KeyExistsAsync(key));
        Assert.Equal("other", (string?)await db.StringGetAsync(claim));
    }

    [Fact]
    public async Task Never_overwrites_a_cached_file_and_still_releases_its_claim()
    {
        var (db, key, claim) = await KeysAsync();
        await db.StringSetAsync(key, "first");
        await db.StringSetAsync(claim, "mine", TimeSpan.FromMinutes(1));

        Assert.Equal(0, await PutAsync(db, key, claim, "second", "mine"));

        Assert.Equal("first", (string?)await db.StringGetAsync(key));
        Assert.False(await db.KeyExistsAsync(claim));
    }

    [Fact]
    public async Task Publishes_when_its_claim_expired_meanwhile_and_nobody_else_took_it()
    {
        var (db, key, claim) = await KeysAsync();

        Assert.Equal(1, await PutAsync(db, key, claim, "content", "mine"));

        Assert.Equal("content", (string?)await db.StringGetAsync(key));
        Assert.False(await db.KeyExistsAsync(claim));
    }

    private async Task<(IDatabase Db, string Key, string Claim)> KeysAsync()
    {
        var key = $"{Guid.NewGuid():N}/file.pdf";
        return (await redis.Db.GetDatabaseAsync(Ct), key, CacheKeys.ClaimKey(key));
    }

    private static async Task<long> PutAsync(IDatabase db, string key, string claim, string content, string token) =>
        (long)await db.ScriptEvaluateAsync(Script.Value, [key, claim], [content, token, TtlMs]);

    // The embedded script the daemon runs (its loader is internal to the library).
    private static string LoadScript()
    {
        using var stream = typeof(RedisDb).Assembly.GetManifestResourceStream("RedisFlow.Scripts.cache_put.lua")
            ?? throw new InvalidOperationException("cache_put.lua is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
