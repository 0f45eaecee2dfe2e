using RedisFlow.SampleData;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;

namespace RedisFlow.Cli.Tests.Daemon;

/// <summary><c>redisflow serve</c> as an operator runs it: configured by environment, stopped by SIGTERM.</summary>
public sealed class ServeCommandTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Cache:ParallelFetches", "0", "Cache:ParallelFetches")]
    [InlineData("Cache:Ttl", "soon", "Cache:Ttl")]
    [InlineData("TaskSource:Provider", "oracle", "TaskSource:Provider")]
    [InlineData("Storage:Provider", "ftp", "Storage:Provider")]
    [InlineData("Redis:Host", "localhost:99999", "Redis:Host")]
    public async Task Invalid_configuration_stops_start_up_with_a_message_naming_the_setting(string setting, string value, string named)
    {
        var environment = new Dictionary<string, string?> { ["Redis:Host"] = redis.Server.Endpoint, [setting] = value };
        await using var serve = CliRunner.Launch(environment, "serve", "--data", Path.Combine(Path.GetTempPath(), $"redisflow-serve-{Guid.NewGuid():N}"));

        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(2, exit);
        Assert.Contains($"'{named}'", serve.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_caches_the_ongoing_files_and_stops_cleanly_on_SIGTERM()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "served.pdf");
        var content = new byte[123_456];
        Random.Shared.NextBytes(content);
        await store.UploadAsync(kb, "served.pdf", new MemoryStream(content), Ct);
        await db.InsertAsync(rows, Ct);
        var environment = new Dictionary<string, string?>(db.Settings.Concat(store.Settings))
        {
            ["Redis:Host"] = redis.Server.Endpoint,
            ["Cache:PollInterval"] = "00:00:00.100",
        };
        await using var serve = CliRunner.Launch(environment, "serve");

        await Poll.UntilAsync(async () => await redis.Db.ExistAsync($"{kb}/served.pdf", Ct) == true, TimeSpan.FromSeconds(60), "the file cached", Ct);
        await Poll.UntilAsync(() => serve.Output.Contains("CACHE: served.pdf", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the CACHE log line", Ct);
        await serve.SignalAsync("TERM", Ct);
        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(content, await redis.Db.GetBytesAsync($"{kb}/served.pdf", Ct));
        Assert.Equal(0, exit);
        Assert.Contains("File-cache daemon stopped", serve.Output, StringComparison.Ordinal);
    }
}
