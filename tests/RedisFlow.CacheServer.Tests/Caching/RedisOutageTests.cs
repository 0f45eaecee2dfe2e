using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.Embedded;
using RedisFlow.SampleData;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>Redis dies in the middle of a cycle: the cycle ends without throwing, and the files are cached whole once it is back.</summary>
public sealed class RedisOutageTests(SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Redis_killed_mid_cycle_neither_crashes_the_daemon_nor_leaves_a_partial_file()
    {
        // A server of this test's own: killing the shared one would break the other tests.
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var redis = await RedisDb.ConnectAsync(RedisFixture.OptionsFor(server), ct: Ct);
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var contents = new Dictionary<string, byte[]>();
        for (var i = 0; i < 4; i++)
        {
            var location = $"doc-{i}.bin";
            rows.AddDocument(kb, location);
            var content = new byte[256 * 1024];
            Random.Shared.NextBytes(content);
            await store.UploadAsync(kb, location, new MemoryStream(content), Ct);
            contents[$"{kb}/{location}"] = content;
        }

        await db.InsertAsync(rows, Ct);
        var opens = 0;
        var storage = new BeforeOpenFileStorage(store.Storage, async (_, _, _) =>
        {
            // The second file opened kills Redis: its chunks and everything after meet a dead server.
            if (Interlocked.Increment(ref opens) == 2)
            {
                await server.KillAsync();
            }
        });
        var cycle = new CacheCycle(redis, db.TaskSource, storage, new CacheOptions { ParallelFetches = 1, ChunkSize = 16 * 1024 });

        var report = await cycle.RunOnceAsync(Ct);

        Assert.Equal(4, report.Outcomes.Count);
        Assert.True(report.Outcomes.Values.Count(o => o is FileOutcome.RedisDown or FileOutcome.Failed) >= 3, string.Join(", ", report.Outcomes.Values));

        await server.RestartAsync(Ct);
        await Poll.UntilAsync(() => redis.IsAlive, TimeSpan.FromSeconds(30), "reconnected", Ct);
        await Poll.UntilAsync(async () => (await cycle.RunOnceAsync(Ct)).Outcomes.Values.All(o => o is FileOutcome.Cached or FileOutcome.AlreadyCached),
            TimeSpan.FromSeconds(30), "every file cached after the restart", Ct);
        foreach (var (key, content) in contents)
        {
            Assert.Equal(content, await redis.GetBytesAsync(key, Ct));
        }
    }
}
