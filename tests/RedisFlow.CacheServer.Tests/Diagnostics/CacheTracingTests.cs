using System.Diagnostics;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.Diagnostics;
using RedisFlow.SampleData;
using RedisFlow.Testing.Cache;
using RedisFlow.Testing.Diagnostics;

namespace RedisFlow.CacheServer.Tests.Diagnostics;

/// <summary>A cache cycle is a span, and each file a child span tagged with its bucket, location and outcome.</summary>
public sealed class CacheTracingTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cycle_span_has_one_child_span_per_file_with_its_outcome()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "traced.bin");
        rows.AddDocument(kb, "absent.bin");
        await store.UploadAsync(kb, "traced.bin", new MemoryStream(new byte[4096]), Ct);
        await db.InsertAsync(rows, Ct);
        using var spans = new SpanCollector(kb);
        var cycle = new CacheCycle(redis.Db, db.TaskSource, store.Storage, new CacheOptions());

        // The test's own root, so the collector samples this cycle and not those of tests running beside it.
        using (var root = new Activity("cache-test").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            spans.Follow(root.TraceId);
            await cycle.RunOnceAsync(Ct);
        }

        var cycleSpan = Assert.Single(spans.Named(RedisFlowInstrumentation.CacheCycleSpan));
        Assert.Equal(db.TaskSource.Name, cycleSpan.GetTagItem("redisflow.cache.task_source"));
        var files = spans.Named(RedisFlowInstrumentation.CacheFileSpan).Where(f => (string?)f.GetTagItem("redisflow.cache.bucket") == kb).ToList();
        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.Equal(cycleSpan.SpanId, f.ParentSpanId));
        var outcomes = files.ToDictionary(f => (string)f.GetTagItem("redisflow.cache.location")!, f => (string?)f.GetTagItem("redisflow.cache.outcome"));
        Assert.Equal("cached", outcomes["traced.bin"]);
        Assert.Equal("not_found", outcomes["absent.bin"]);
        Assert.Equal(ActivityStatusCode.Error, files.Single(f => (string?)f.GetTagItem("redisflow.cache.location") == "absent.bin").Status);
    }
}
