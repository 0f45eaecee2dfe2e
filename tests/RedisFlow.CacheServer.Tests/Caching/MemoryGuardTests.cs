using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Diagnostics;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.Embedded;
using RedisFlow.SampleData;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>No caching while Redis is above the configured fraction of its maxmemory; skips are logged and counted.</summary>
public sealed class MemoryGuardTests(SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Files_wait_while_redis_memory_is_above_the_guard_and_are_cached_once_it_is_below()
    {
        await using var server = await RedisServerProcess.StartAsync(["--maxmemory", "16mb"], Ct);
        await using var redis = await RedisDb.ConnectAsync(RedisFixture.OptionsFor(server), ct: Ct);
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "waiting.pdf");
        await store.UploadAsync(kb, "waiting.pdf", new MemoryStream(new byte[10_000]), Ct);
        await db.InsertAsync(rows, Ct);
        var database = await redis.GetDatabaseAsync(Ct);
        await database.StringSetAsync("ballast", new byte[6 * 1024 * 1024]);
        var skips = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CacheMetrics.MeterName && instrument.Name == "redisflow.cache.skips")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "reason", Value: "memory_guard" })
                {
                    Interlocked.Add(ref skips, value);
                }
            }
        });
        listener.Start();
        var logs = new CapturingLoggerFactory();
        // Limit 25 % of 16 MiB = 4 MiB, below the 6 MiB of ballast.
        var cycle = new CacheCycle(redis, db.TaskSource, store.Storage, new CacheOptions { MemoryGuardFraction = 0.25 }, logs.CreateLogger<CacheCycle>());

        Assert.Equal(FileOutcome.MemoryGuard, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));
        Assert.False(await redis.ExistAsync($"{kb}/waiting.pdf", Ct));
        Assert.True(Interlocked.Read(ref skips) >= 1);
        Assert.Contains(logs.Entries, e => e.Event.Id == 4007);

        await database.KeyDeleteAsync("ballast");

        // Redis shrinks the client's 6 MiB query buffer lazily (clientsCron), so used_memory may take a few
        // hundred milliseconds to fall below the guard: run cycles until it has, within a bounded time.
        var outcome = FileOutcome.MemoryGuard;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (outcome == FileOutcome.MemoryGuard && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            outcome = Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values);
            if (outcome == FileOutcome.MemoryGuard)
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.Equal(FileOutcome.Cached, outcome);
    }

    [Fact]
    public async Task A_file_that_would_cross_the_guard_is_not_cached()
    {
        await using var server = await RedisServerProcess.StartAsync(["--maxmemory", "16mb"], Ct);
        await using var redis = await RedisDb.ConnectAsync(RedisFixture.OptionsFor(server), ct: Ct);
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "too-big-for-now.bin");
        await store.UploadAsync(kb, "too-big-for-now.bin", new MemoryStream(new byte[6 * 1024 * 1024]), Ct);
        await db.InsertAsync(rows, Ct);
        var cycle = new CacheCycle(redis, db.TaskSource, store.Storage, new CacheOptions { MemoryGuardFraction = 0.25 });

        Assert.Equal(FileOutcome.MemoryGuard, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));
        Assert.False(await redis.ExistAsync($"{kb}/too-big-for-now.bin", Ct));
    }
}
