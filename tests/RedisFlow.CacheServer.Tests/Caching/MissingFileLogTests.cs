using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.SampleData;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>A task row whose file is missing warns once, then only at Debug with back-off, not every cycle.</summary>
public sealed class MissingFileLogTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    [Fact]
    public async Task A_missing_file_warns_once_over_many_cycles()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await databases.CreateDatabaseAsync(ct);
        await using var store = await stores.CreateStoreAsync(ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "missing.pdf");
        await db.InsertAsync(rows, ct);

        var logs = new CapturingLoggerFactory();
        var cycle = new CacheCycle(redis.Db, db.TaskSource, store.Storage, new CacheOptions(), logs.CreateLogger<CacheCycle>());
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(FileOutcome.NotFound, Assert.Single((await cycle.RunOnceAsync(ct)).Outcomes.Values));
        }

        var aboutIt = logs.Entries.Where(e => e.Message.Contains($"{kb}/missing.pdf", StringComparison.Ordinal)).ToList();
        Assert.Single(aboutIt, e => e.Level == LogLevel.Warning);
        Assert.Contains("not found in storage", aboutIt.Single(e => e.Level == LogLevel.Warning).Message, StringComparison.Ordinal);
        // Repeats at Debug on the 2nd, 4th and 8th failure.
        Assert.Equal(3, aboutIt.Count(e => e.Level == LogLevel.Debug));
    }
}
