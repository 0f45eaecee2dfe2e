using RedisFlow.SampleData;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;

namespace RedisFlow.Cli.Tests.Daemon;

/// <summary><c>redisflow serve</c> on a real Redis Cluster (3 primaries + 3 replicas), configured as docs/production-redis.md tells operators.</summary>
public sealed class ClusterServeCommandTests(LargeValueClusterFixture cluster, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Redisflow_serve_given_the_cluster_nodes_as_connection_string_caches_files_of_every_primary()
    {
        var db = await cluster.GetDbAsync(Ct);
        await using var tasks = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var location in ClusterFiles.LocationsOnEveryThird(kb, perThird: 1))
        {
            rows.AddDocument(kb, location);
            files[$"{kb}/{location}"] = await ClusterFiles.UploadRandomAsync(store, kb, location, 40_000, Ct);
        }

        await tasks.InsertAsync(rows, Ct);
        var environment = new Dictionary<string, string?>(tasks.Settings.Concat(store.Settings))
        {
            // As docs/production-redis.md tells operators: the nodes, and database 0 (the only one on a Cluster).
            ["Redis:ConnectionString"] = (await cluster.GetClusterAsync()).ConnectionString,
            ["Redis:Db"] = "0",
            ["Cache:PollInterval"] = "00:00:00.200",
        };
        await using var serve = CliRunner.Launch(environment, "serve");

        try
        {
            foreach (var key in files.Keys)
            {
                await Poll.UntilAsync(async () => await db.ExistAsync(key, Ct) == true, Generous, $"{key} cached by redisflow serve", Ct);
            }
        }
        catch (TimeoutException ex)
        {
            Assert.Fail($"{ex.Message}\nserve output:\n{serve.Output}\nserve errors:\n{serve.Error}");
        }

        await serve.SignalAsync("TERM", Ct);
        Assert.Equal(0, await serve.WaitForExitAsync(Generous, Ct));
        foreach (var (key, content) in files)
        {
            Assert.Equal(content, await db.GetBytesAsync(key, Ct));
        }

        Assert.DoesNotContain("CROSSSLOT", serve.Output + serve.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("MOVED", serve.Output + serve.Error, StringComparison.Ordinal);
    }
}
