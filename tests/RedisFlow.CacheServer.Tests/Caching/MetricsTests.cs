using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Diagnostics;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.SampleData;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>The meter reports files cached, bytes, skips by reason, failures and fetch latency.</summary>
/// <remarks>Other tests run in parallel on the same meter, so counts are checked as lower bounds.</remarks>
public sealed class MetricsTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Caching_records_files_bytes_latency_skips_and_failures()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "measured.bin");
        rows.AddDocument(kb, "missing.bin");
        await store.UploadAsync(kb, "measured.bin", new MemoryStream(new byte[777_777]), Ct);
        await db.InsertAsync(rows, Ct);
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CacheMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var name = instrument.Name;
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    name += ":" + tag.Value;
                }
            }

            totals.AddOrUpdate(name, value, (_, sum) => sum + value);
            totals.AddOrUpdate(instrument.Name + ":count", 1, (_, n) => n + 1);
        }

        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        var cycle = new CacheCycle(redis.Db, db.TaskSource, store.Storage, new CacheOptions());

        await cycle.RunOnceAsync(Ct);
        await cycle.RunOnceAsync(Ct);

        Assert.True(totals.GetValueOrDefault("redisflow.cache.files_cached") >= 1);
        Assert.True(totals.GetValueOrDefault("redisflow.cache.bytes_cached") >= 777_777);
        Assert.True(totals.GetValueOrDefault("redisflow.cache.fetch.duration:count") >= 1);
        Assert.True(totals.GetValueOrDefault("redisflow.cache.skips:already_cached") >= 1);
        Assert.True(totals.GetValueOrDefault("redisflow.cache.failures:not_found") >= 2);
    }
}
