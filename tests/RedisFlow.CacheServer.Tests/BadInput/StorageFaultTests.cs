using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.SampleData;
using RedisFlow.Storage.S3;
using RedisFlow.Testing.Cache;
using RedisFlow.Testing.Servers;

namespace RedisFlow.CacheServer.Tests.BadInput;

/// <summary>
/// Storage answers that are truncated or stall (docs/bad-input.md): a short copy is never published as the file, a
/// stalled read ends after <c>Storage:Timeout</c>, and the cycle goes on to the other files and to the next cycle.
/// </summary>
public sealed class StorageFaultTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores, S3FileStorageFixture s3)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>, IClassFixture<S3FileStorageFixture>
{
    private const int ObjectBytes = 3 * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_local_file_truncated_while_it_is_read_is_not_cached_and_the_other_files_are()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var local = (LocalFileStorage)store.Storage;
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        string[] names = ["chunked.bin", "one-chunk.bin", "good.bin"];
        foreach (var name in names)
        {
            rows.AddDocument(kb, name);
            await store.UploadAsync(kb, name, new MemoryStream(Bytes(name == "one-chunk.bin" ? 200_000 : ObjectBytes)), Ct);
        }

        await db.InsertAsync(rows, Ct);
        // The file shrinks on disk after the storage opened it and announced its length, before the first read:
        // a real short read of a real file, as when another process rewrites it.
        var storage = new MidReadFileStorage(local, 0, (bucket, location) =>
        {
            if (location != "good.bin")
            {
                using var file = File.OpenHandle(local.PathOf(bucket, location), FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                RandomAccess.SetLength(file, 100_000);
            }

            return Task.CompletedTask;
        });

        var report = await new CacheCycle(redis.Db, db.TaskSource, storage, new CacheOptions()).RunOnceAsync(Ct);

        Assert.Equal(FileOutcome.Failed, report.Outcomes[new OngoingDocument(kb, "chunked.bin")]);
        Assert.Equal(FileOutcome.Failed, report.Outcomes[new OngoingDocument(kb, "one-chunk.bin")]);
        Assert.Equal(FileOutcome.Cached, report.Outcomes[new OngoingDocument(kb, "good.bin")]);
        Assert.Null(await redis.Db.GetBytesAsync($"{kb}/chunked.bin", Ct));
        Assert.Null(await redis.Db.GetBytesAsync($"{kb}/one-chunk.bin", Ct));
        Assert.Equal(Bytes(ObjectBytes), await redis.Db.GetBytesAsync($"{kb}/good.bin", Ct));
        Assert.Empty(await LeftoverKeysAsync(kb));

        // Read whole next time (the file is now 100,000 bytes on disk): cached as it is.
        var next = await new CacheCycle(redis.Db, db.TaskSource, local, new CacheOptions()).RunOnceAsync(Ct);
        Assert.Equal(FileOutcome.Cached, next.Outcomes[new OngoingDocument(kb, "chunked.bin")]);
        Assert.Equal(Bytes(ObjectBytes)[..100_000], await redis.Db.GetBytesAsync($"{kb}/chunked.bin", Ct));
    }

    [Theory]
    [InlineData(ProxyFaultKind.Cut)]
    [InlineData(ProxyFaultKind.Stall)]
    public async Task An_S3_answer_cut_short_or_stalled_mid_body_fails_that_file_and_the_next_cycle_caches_it_whole(ProxyFaultKind kind)
    {
        var emulator = await s3.EmulatorAsync(Ct);
        await using var proxy = FaultyTcpProxy.Start(emulator.Port);
        await using var db = await databases.CreateDatabaseAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "object.bin");
        await db.InsertAsync(rows, Ct);
        using (var admin = S3FileStorageFixture.AdminClient(emulator))
        {
            await S3FileStorageFixture.EnsureBucketAsync(admin, kb, Ct);
            await S3FileStorageFixture.PutAsync(admin, kb, "object.bin", new MemoryStream(Bytes(ObjectBytes)), Ct);
        }

        var options = s3.OptionsFor(emulator);
        options.Endpoint = proxy.Endpoint;
        options.Timeout = TimeSpan.FromSeconds(2);
        using var storage = new S3FileStorage(options);
        var cycle = new CacheCycle(redis.Db, db.TaskSource, storage, new CacheOptions());
        proxy.Set(new ProxyFault(kind, AfterBytes: 256 * 1024));

        // Bounded: without the read timeout a stalled body would hold this cycle until the test's limit.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        var faulty = await cycle.RunOnceAsync(limit.Token);

        Assert.Equal(FileOutcome.Failed, Assert.Single(faulty.Outcomes.Values));
        Assert.Null(await redis.Db.GetBytesAsync($"{kb}/object.bin", Ct));
        Assert.Empty(await LeftoverKeysAsync(kb));

        proxy.Set(ProxyFault.None);
        var healed = await cycle.RunOnceAsync(limit.Token);
        Assert.Equal(FileOutcome.Cached, Assert.Single(healed.Outcomes.Values));
        Assert.Equal(Bytes(ObjectBytes), await redis.Db.GetBytesAsync($"{kb}/object.bin", Ct));
    }

    /// <summary>Claim and temporary keys of <paramref name="kb"/>'s files (named after the cache key, in its slot).</summary>
    private async Task<List<string>> LeftoverKeysAsync(string kb)
    {
        var connection = await redis.Db.GetConnectionAsync(Ct);
        var server = connection.GetServers().Single();
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(1, $"*{kb}*"))
        {
            keys.Add((string)key!);
        }

        return [.. keys.Where(k => !k.StartsWith(kb + "/", StringComparison.Ordinal) || k.Contains(':', StringComparison.Ordinal))];
    }

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 % 251);
        }

        return bytes;
    }
}
