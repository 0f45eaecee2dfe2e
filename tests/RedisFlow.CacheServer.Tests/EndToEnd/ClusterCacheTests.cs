using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using RedisFlow.CacheServer.Caching;
using RedisFlow.SampleData;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;
using RedisFlow.Testing.Topologies;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Tests.EndToEnd;

/// <summary>
/// The daemon on a real Redis Cluster (3 primaries + 3 replicas) with the SQLite task source and local storage:
/// files land under RAGFlow's keys (<c>bucket/location</c>) on whichever primary serves their slot, are readable,
/// expire as configured, and the daemon's claim and temporary keys and its scripts stay within one slot per file.
/// </summary>
public sealed class ClusterCacheTests(LargeValueClusterFixture cluster, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_daemon_caches_files_of_every_primary_under_RAGFlows_keys_readably_with_the_configured_ttl()
    {
        var db = await cluster.GetDbAsync(Ct);
        await using var tasks = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var location in ClusterFiles.LocationsOnEveryThird(kb, perThird: 2).Concat(["a{tag}b.pdf", "odd}name.pdf", "big.bin"]))
        {
            rows.AddDocument(kb, location);
            files[$"{kb}/{location}"] = await ClusterFiles.UploadRandomAsync(store, kb, location, location == "big.bin" ? (3 * 1024 * 1024) + 77 : 5_000, Ct);
        }

        await tasks.InsertAsync(rows, Ct);
        var options = new CacheOptions { PollInterval = TimeSpan.FromMilliseconds(200), ChunkSize = 64 * 1024 };
        var daemon = new CacheDaemon(new CacheCycle(db, tasks.TaskSource, store.Storage, options));
        await daemon.StartAsync(Ct);
        try
        {
            await Poll.UntilAsync(async () =>
            {
                foreach (var key in files.Keys)
                {
                    if (await db.ExistAsync(key, Ct) != true)
                    {
                        return false;
                    }
                }

                return true;
            }, Generous, "every file to be cached on the cluster", Ct);
        }
        finally
        {
            await daemon.StopAsync(CancellationToken.None);
        }

        var reader = new CachedFileReader(db, store.Storage);
        var database = await db.GetDatabaseAsync(Ct);
        var primaries = new HashSet<EndPoint>();
        foreach (var (key, content) in files)
        {
            var location = key[(kb.Length + 1)..];
            var read = await reader.ReadAllBytesAsync(kb, location, Ct);
            Assert.True(read.FromCache, key);
            Assert.Equal(SHA256.HashData(content), SHA256.HashData(read.Content));
            var ttl = await database.KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, options.Ttl - TimeSpan.FromMinutes(1), options.Ttl);
            var primary = await cluster.PrimaryOfAsync(key, Ct);
            primaries.Add(primary.EndPoint);
            Assert.Empty(await LeftoversAsync(primary, key));
        }

        Assert.Equal(3, primaries.Count);
    }

    [Fact]
    public async Task Cached_files_expire_as_configured_and_are_cached_again_with_scripts_reloaded_after_SCRIPT_FLUSH()
    {
        var ttlSetting = TimeSpan.FromSeconds(5);
        var db = await cluster.GetDbAsync(Ct);
        await using var tasks = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var keys = new List<string>();
        foreach (var location in ClusterFiles.LocationsOnEveryThird(kb, perThird: 1))
        {
            rows.AddDocument(kb, location);
            await ClusterFiles.UploadRandomAsync(store, kb, location, 2_000, Ct);
            keys.Add($"{kb}/{location}");
        }

        await tasks.InsertAsync(rows, Ct);
        var cycle = new CacheCycle(db, tasks.TaskSource, store.Storage, new CacheOptions { Ttl = ttlSetting });

        var first = await cycle.RunOnceAsync(Ct);
        Assert.All(first.Outcomes.Values, o => Assert.Equal(FileOutcome.Cached, o));
        Assert.Equal(3, first.Outcomes.Count);
        var database = await db.GetDatabaseAsync(Ct);
        foreach (var key in keys)
        {
            // A stalled test may find the key already gone; a key without a TTL would still be there.
            var ttl = await database.KeyTimeToLiveAsync(key);
            if (ttl is null)
            {
                Assert.False(await db.ExistAsync(key, Ct), $"{key} has no TTL");
            }
            else
            {
                Assert.True(ttl.Value <= ttlSetting, $"{key} has TTL {ttl}, more than the configured {ttlSetting}");
            }
        }

        foreach (var key in keys)
        {
            await Poll.UntilAsync(async () => await db.ExistAsync(key, Ct) == false, Generous, $"{key} to expire", Ct);
        }

        var replies = await (await cluster.GetClusterAsync()).SendToEveryPrimaryAsync(Ct, "SCRIPT", "FLUSH");
        Assert.Equal(3, replies.Count);
        var again = await cycle.RunOnceAsync(Ct);
        Assert.All(again.Outcomes.Values, o => Assert.Equal(FileOutcome.Cached, o));
        Assert.Equal(3, again.Outcomes.Count);
        foreach (var key in keys)
        {
            Assert.True(await db.ExistAsync(key, Ct));
        }
    }

    [Fact]
    public async Task The_memory_guard_holds_back_only_the_files_of_the_primary_that_is_full()
    {
        var db = await cluster.GetDbAsync(Ct);
        await using var tasks = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var locations = ClusterFiles.LocationsOnEveryThird(kb, perThird: 1);
        foreach (var location in locations)
        {
            rows.AddDocument(kb, location);
            await ClusterFiles.UploadRandomAsync(store, kb, location, 2_000, Ct);
        }

        await tasks.InsertAsync(rows, Ct);

        // The primary of the first file gets a maxmemory just above what it uses: above the 90 % guard, below OOM.
        var fullKey = $"{kb}/{locations[0]}";
        var fullPrimary = await cluster.PrimaryOfAsync(fullKey, Ct);
        var node = (await cluster.GetClusterAsync()).Nodes.Single(n => n.Endpoint == fullPrimary.EndPoint.ToString());
        var used = long.Parse(Resp.InfoField(await node.SendRawAsync(Ct, "INFO", "memory"), "used_memory")!, CultureInfo.InvariantCulture);
        Assert.StartsWith("+OK", await node.SendRawAsync(Ct, "CONFIG", "SET", "maxmemory", (used + (used / 20)).ToString(CultureInfo.InvariantCulture)), StringComparison.Ordinal);
        try
        {
            var report = await new CacheCycle(db, tasks.TaskSource, store.Storage, new CacheOptions { MemoryGuardFraction = 0.9 }).RunOnceAsync(Ct);

            Assert.Equal(FileOutcome.MemoryGuard, report.Outcomes[new(kb, locations[0])]);
            Assert.Equal(FileOutcome.Cached, report.Outcomes[new(kb, locations[1])]);
            Assert.Equal(FileOutcome.Cached, report.Outcomes[new(kb, locations[2])]);
            Assert.False(await db.ExistAsync(fullKey, Ct));
        }
        finally
        {
            Assert.StartsWith("+OK", await node.SendRawAsync(CancellationToken.None, "CONFIG", "SET", "maxmemory", "0"), StringComparison.Ordinal);
        }
    }

    /// <summary>Claim or temporary keys left beside <paramref name="key"/> on its primary.</summary>
    private static async Task<List<string>> LeftoversAsync(IServer primary, string key)
    {
        var found = new List<string>();
        foreach (var derived in new[] { CacheKeys.ClaimKey(key), CacheKeys.TempKey(key, "*") })
        {
            await foreach (var k in primary.KeysAsync(0, Escape(derived)))
            {
                found.Add(k.ToString());
            }
        }

        return found;
    }

    // Glob characters in ids and names are literal; only the '*' standing for the temporary key's token is not.
    private static string Escape(string pattern) =>
        string.Concat(pattern.Select((c, i) => c is '?' or '[' or ']' or '\\' or '{' or '}' || (c == '*' && i != pattern.LastIndexOf('*')) ? $"\\{c}" : c.ToString()));
}
