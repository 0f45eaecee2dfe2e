using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.SampleData;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>Several daemon replicas on the same inputs share the work through the per-file claim.</summary>
public sealed class ReplicaTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_daemons_on_the_same_inputs_fetch_each_file_once_in_total()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var keys = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            var location = $"file-{i:00}.bin";
            rows.AddDocument(kb, location);
            var content = new byte[64 * 1024 * (1 + (i % 4))];
            Random.Shared.NextBytes(content);
            await store.UploadAsync(kb, location, new MemoryStream(content), Ct);
            keys.Add($"{kb}/{location}");
        }

        await db.InsertAsync(rows, Ct);
        // One storage counter shared by both replicas: it wraps the real local storage.
        var counting = new CountingFileStorage(store.Storage);
        await using var connectionA = await RedisDb.ConnectAsync(RedisFixture.OptionsFor(redis.Server), ct: Ct);
        await using var connectionB = await RedisDb.ConnectAsync(RedisFixture.OptionsFor(redis.Server), ct: Ct);
        var options = new CacheOptions { PollInterval = TimeSpan.FromMilliseconds(20), ParallelFetches = 4, ChunkSize = 16 * 1024 };
        var daemonA = new CacheDaemon(new CacheCycle(connectionA, db.TaskSource, counting, options));
        var daemonB = new CacheDaemon(new CacheCycle(connectionB, db.TaskSource, counting, options));

        await Task.WhenAll(daemonA.StartAsync(Ct), daemonB.StartAsync(Ct));
        await Poll.UntilAsync(async () => (await redis.Db.MGetAsync(keys, Ct)).All(v => v is not null), TimeSpan.FromSeconds(60), "all files cached", Ct);
        var cyclesA = daemonA.CyclesCompleted;
        var cyclesB = daemonB.CyclesCompleted;
        await Poll.UntilAsync(() => daemonA.CyclesCompleted >= cyclesA + 2 && daemonB.CyclesCompleted >= cyclesB + 2, TimeSpan.FromSeconds(30), "two more cycles each", Ct);
        await Task.WhenAll(daemonA.StopAsync(Ct), daemonB.StopAsync(Ct));

        Assert.Equal(keys.Order(), counting.Opens.Keys.Order());
        Assert.All(counting.Opens, pair => Assert.Equal(1, pair.Value));
    }
}
