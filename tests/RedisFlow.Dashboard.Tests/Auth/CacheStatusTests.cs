using System.Net.Http.Json;
using System.Text.Json;
using RedisFlow.CacheServer;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Diagnostics;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.Dashboard.Tests.Infrastructure;
using RedisFlow.Testing;

namespace RedisFlow.Dashboard.Tests.Auth;

/// <summary>A running cache daemon publishes its status key, and the dashboard's cache API shows it.</summary>
public sealed class CacheStatusTests(RedisFixture redis)
{
    [Fact]
    public async Task The_daemon_publishes_its_cycles_and_the_dashboard_reads_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var cycle = new CacheCycle(redis.Db, new NoTasks(), new NoStorage(), new CacheOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        using var daemon = new CacheDaemon(cycle);
        using var publisher = new CacheStatusPublisher(daemon, redis.Db);
        await daemon.StartAsync(ct);
        await publisher.StartAsync(ct);
        try
        {
            CacheStatus? status = null;
            await Poll.UntilAsync(async () =>
            {
                var json = await redis.Db.GetAsync(publisher.Key, ct);
                status = json is null ? null : JsonSerializer.Deserialize<CacheStatus>(json, CacheStatus.JsonOptions);
                return status is { Cycles: >= 2, LastCycle: not null };
            }, TimeSpan.FromSeconds(15), "the daemon's status key", ct);
            Assert.Equal(0, status!.LastCycle!.Documents);

            await using var dashboard = await RunningDashboard.StartAsync(redis.Db);
            using var client = dashboard.Client();
            var page = await client.GetFromJsonAsync<JsonElement>("api/cache", ct);
            Assert.Contains(page.GetProperty("daemons").EnumerateArray(), d => d.GetProperty("instance").GetString() == status.Instance);
        }
        finally
        {
            await publisher.StopAsync(CancellationToken.None);
            await daemon.StopAsync(CancellationToken.None);
            await redis.Db.DeleteAsync(publisher.Key, CancellationToken.None);
        }
    }

    private sealed class NoTasks : ITaskSource
    {
        public string Name => "none";

        public Task<IReadOnlyList<OngoingDocument>> GetOngoingDocumentsAsync(DateTimeOffset now, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<OngoingDocument>>([]);
    }

    private sealed class NoStorage : IFileStorage
    {
        public string Name => "none";

        public Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct) =>
            throw new StorageObjectNotFoundException(bucket, location);
    }
}
