using System.Security.Cryptography;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.SampleData;
using RedisFlow.Testing.Cache;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>
/// How the daemon moves a file's bytes: one <c>SET NX</c> for a file that fits in one chunk, pipelined
/// <c>APPEND</c>s plus a publish for a larger one, chunk buffers shared by all fetches. Each test checks what a
/// reader or another replica can see: the whole file with its TTL or nothing, and no claim or temporary key left.
/// </summary>
public sealed class ChunkedWriteTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>, IAsyncDisposable
{
    private const int Chunk = 4096;

    private readonly List<IAsyncDisposable> _disposables = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(1_000, false)]
    [InlineData((10 * Chunk) + 17, false)]
    [InlineData((10 * Chunk) + 17, true)]
    public async Task A_file_is_published_whole_with_the_ttl_and_leaves_no_claim_or_temporary_key(int size, bool unknownLength)
    {
        // A known length above one chunk goes as one streamed SET; an unknown one through APPENDs to a temporary key.
        var (cycle, key, content) = await OneFileAsync(size, storage => unknownLength ? AnnouncedLengthFileStorage.Unknown(storage) : storage);

        var report = await cycle.RunOnceAsync(Ct);

        Assert.Equal(FileOutcome.Cached, Assert.Single(report.Outcomes.Values));
        var database = await redis.Db.GetDatabaseAsync(Ct);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData((byte[])(await database.StringGetAsync(key))!));
        var ttl = await database.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Empty(await DerivedKeysAsync(key));
    }

    [Theory]
    [InlineData(1_000, false)]
    [InlineData((10 * Chunk) + 17, false)]
    [InlineData((10 * Chunk) + 17, true)]
    public async Task An_existing_value_is_kept_and_the_claim_is_released(int size, bool unknownLength)
    {
        var database = await redis.Db.GetDatabaseAsync(Ct);
        // Written after the claim (as by a writer that ignores claims), so the daemon meets it when publishing.
        var (cycle, key, _) = await OneFileAsync(size, storage => new BeforeOpenFileStorage(unknownLength ? AnnouncedLengthFileStorage.Unknown(storage) : storage,
            async (bucket, location, _) => await database.StringSetAsync($"{bucket}/{location}", "first")));

        Assert.Equal(FileOutcome.AlreadyCached, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));

        Assert.Equal("first", (string?)await database.StringGetAsync(key));
        Assert.Empty(await DerivedKeysAsync(key));
    }

    [Fact]
    public async Task A_claim_taken_by_another_replica_mid_write_stops_the_copy_and_nothing_is_published()
    {
        var database = await redis.Db.GetDatabaseAsync(Ct);
        // After 4 chunks are sent, another replica takes the claim (as if this one's had expired).
        // Only the chunked path (size unknown) checks the claim between chunks; a streamed SET NX is one command.
        var (cycle, key, _) = await OneFileAsync(40 * Chunk, storage => new MidReadFileStorage(AnnouncedLengthFileStorage.Unknown(storage), 4 * Chunk,
            (bucket, location) => database.StringSetAsync(CacheKeys.ClaimKey($"{bucket}/{location}"), "other", TimeSpan.FromMinutes(1))));

        Assert.Equal(FileOutcome.ClaimedElsewhere, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));

        Assert.False(await database.KeyExistsAsync(key));
        Assert.Equal("other", (string?)await database.StringGetAsync(CacheKeys.ClaimKey(key)));
        Assert.Equal([CacheKeys.ClaimKey(key)], await DerivedKeysAsync(key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cycle_cancelled_mid_write_leaves_neither_a_temporary_key_nor_a_claim(bool unknownLength)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var (cycle, key, _) = await OneFileAsync(40 * Chunk, storage => new MidReadFileStorage(unknownLength ? AnnouncedLengthFileStorage.Unknown(storage) : storage,
            8 * Chunk, (_, _) => stop.CancelAsync()));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cycle.RunOnceAsync(stop.Token));

        var database = await redis.Db.GetDatabaseAsync(Ct);
        Assert.False(await database.KeyExistsAsync(key));
        Assert.Empty(await DerivedKeysAsync(key));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task A_file_shorter_or_longer_than_its_storage_announced_is_not_published(int error)
    {
        var (cycle, key, _) = await OneFileAsync(10 * Chunk, storage => new AnnouncedLengthFileStorage(storage, length => length + error));

        Assert.Equal(FileOutcome.Failed, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));

        var database = await redis.Db.GetDatabaseAsync(Ct);
        Assert.False(await database.KeyExistsAsync(key));
        Assert.Empty(await DerivedKeysAsync(key));
    }

    [Fact]
    public async Task Many_files_share_a_window_of_one_chunk_and_are_all_cached()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var files = new Dictionary<string, byte[]>();
        for (var i = 0; i < 12; i++)
        {
            var location = $"f{i:00}.bin";
            var content = RandomNumberGenerator.GetBytes((i % 3) switch { 0 => 100, 1 => Chunk, _ => (7 * Chunk) + i });
            await store.UploadAsync(kb, location, new MemoryStream(content), Ct);
            rows.AddDocument(kb, location);
            files[$"{kb}/{location}"] = content;
        }

        await db.InsertAsync(rows, Ct);
        // A file waiting for the only chunk slot must never be waiting on its own chunk's reply.
        var cycle = new CacheCycle(redis.Db, db.TaskSource, store.Storage, Options(o => { o.ChunksInFlight = 1; o.ParallelFetches = 8; }));
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bounded.CancelAfter(TimeSpan.FromMinutes(1));

        var report = await cycle.RunOnceAsync(bounded.Token);

        Assert.All(report.Outcomes.Values, o => Assert.Equal(FileOutcome.Cached, o));
        Assert.Equal(files.Count, report.Outcomes.Count);
        var database = await redis.Db.GetDatabaseAsync(Ct);
        foreach (var (key, content) in files)
        {
            Assert.Equal(content, (byte[])(await database.StringGetAsync(key))!);
            Assert.Empty(await DerivedKeysAsync(key));
        }
    }

    private static CacheOptions Options(Action<CacheOptions>? configure = null)
    {
        var options = new CacheOptions { ChunkSize = Chunk, Ttl = TimeSpan.FromMinutes(10), MemoryGuardFraction = 1 };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>One ongoing document with <paramref name="size"/> random bytes in storage, seen through <paramref name="wrap"/>.</summary>
    private async Task<(CacheCycle Cycle, string Key, byte[] Content)> OneFileAsync(int size, Func<IFileStorage, IFileStorage> wrap)
    {
        var db = await databases.CreateDatabaseAsync(Ct);
        _disposables.Add(db);
        var store = await stores.CreateStoreAsync(Ct);
        _disposables.Add(store);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "file.pdf");
        var content = RandomNumberGenerator.GetBytes(size);
        await store.UploadAsync(kb, "file.pdf", new MemoryStream(content), Ct);
        await db.InsertAsync(rows, Ct);
        return (new CacheCycle(redis.Db, db.TaskSource, wrap(store.Storage), Options()), $"{kb}/file.pdf", content);
    }

    /// <summary>The claim and temporary keys of <paramref name="key"/> (<c>{bucket/location}:*</c>).</summary>
    private async Task<string[]> DerivedKeysAsync(string key)
    {
        var connection = await redis.Db.GetConnectionAsync(Ct);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var found in server.KeysAsync(1, $"{{{key}}}:*"))
        {
            keys.Add(found.ToString());
        }

        return [.. keys];
    }
}
