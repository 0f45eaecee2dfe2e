using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.SampleData;
using RedisFlow.Storage.Encryption;
using RedisFlow.Testing.Cache;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Tests.Encryption;

/// <summary>The daemon's cycle caches the plaintext of files RAGFlow stored encrypted, and nothing with a wrong key.</summary>
public sealed class EncryptedCacheTests(RedisFixture redis, SqliteTaskDatabaseFixture databases)
    : IClassFixture<SqliteTaskDatabaseFixture>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("redisflow-crypto-cache-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Algorithms => new(RagflowCryptoOptions.Algorithms);

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task The_plaintext_is_cached_with_the_right_key_and_nothing_with_a_wrong_one(string algorithm)
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        var local = new LocalFileStorage(_root);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var files = new Dictionary<string, byte[]>
        {
            ["small.txt"] = RagflowEncryptedFiles.Content(17),
            ["large.pdf"] = RagflowEncryptedFiles.Content((3 << 20) + 1),
        };
        foreach (var (location, content) in files)
        {
            await RagflowEncryptedFiles.EncryptAsync(algorithm, content, local.PathOf(kb, location), Ct);
            rows.AddDocument(kb, location);
        }

        await db.InsertAsync(rows, Ct);
        var database = await redis.Db.GetDatabaseAsync(Ct);

        // A wrong key first: every file fails, nothing (not even a temporary key) is left in Redis.
        var wrong = new EncryptedFileStorage(local, new RagflowCryptoOptions { Enabled = true, Algorithm = algorithm, Key = "a-wrong-key" });
        var refused = await new CacheCycle(redis.Db, db.TaskSource, wrong, new CacheOptions()).RunOnceAsync(Ct);
        Assert.All(refused.Outcomes.Values, outcome => Assert.Equal(FileOutcome.Failed, outcome));
        Assert.Equal(files.Count, refused.Outcomes.Count);
        foreach (var location in files.Keys)
        {
            Assert.False(await database.KeyExistsAsync($"{kb}/{location}"));
        }

        Assert.Empty(await KeysAsync(kb));

        var right = new EncryptedFileStorage(local, new RagflowCryptoOptions { Enabled = true, Algorithm = algorithm, Key = RagflowEncryptedFiles.Key });
        var report = await new CacheCycle(redis.Db, db.TaskSource, right, new CacheOptions()).RunOnceAsync(Ct);
        Assert.Equal(files.Count, report.Count(FileOutcome.Cached));
        foreach (var (location, content) in files)
        {
            Assert.Equal(content, (byte[]?)await database.StringGetAsync($"{kb}/{location}"));
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<List<string>> KeysAsync(string bucket)
    {
        var connection = await redis.Db.GetConnectionAsync(Ct);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(database: 1, pattern: $"*{bucket}*").WithCancellation(Ct))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }
}
