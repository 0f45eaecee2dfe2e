using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.SampleData;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Tests.EndToEnd;

/// <summary>
/// The daemon's behaviour on one task source × one storage, against the real database and store. Written once;
/// each provider pair is a one-line subclass (see <see cref="SqliteLocalEndToEndTests"/>).
/// </summary>
public abstract class CacheEndToEndTests(RedisFixture redis, ITaskDatabaseFixture databases, IFileStorageFixture stores)
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected RedisFixture Redis { get; } = redis;

    protected static CacheOptions Options(Action<CacheOptions>? configure = null)
    {
        var options = new CacheOptions { PollInterval = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task Matching_documents_are_cached_with_their_key_bytes_and_ttl_and_the_others_are_not()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var rows = new RagflowRows();
        var kb = RagflowRows.NewId();
        var folder = RagflowRows.NewId();
        var matching = new Dictionary<string, byte[]>
        {
            [$"{kb}/a.pdf"] = await UploadAsync(store, kb, "a.pdf", 10_000),
            [$"{kb}/b (1).docx"] = await UploadAsync(store, kb, "b (1).docx", 1),
            [$"{folder}/linked.txt"] = await UploadAsync(store, folder, "linked.txt", 4_321),
        };
        rows.AddDocument(kb, "a.pdf");
        rows.AddDocument(kb, "b (1).docx", type: "doc");
        rows.LinkFile(rows.AddDocument(kb, "linked.txt"), folder);

        var notMatching = new List<string>();
        async Task AddNotMatching(string location, Action<RagflowRows> add)
        {
            await UploadAsync(store, kb, location, 100);
            add(rows);
            notMatching.Add($"{kb}/{location}");
        }

        await AddNotMatching("finished.pdf", r => r.AddDocument(kb, "finished.pdf", progress: 1));
        await AddNotMatching("cancelled.pdf", r => r.AddDocument(kb, "cancelled.pdf", run: "2"));
        await AddNotMatching("unstarted.pdf", r => r.AddDocument(kb, "unstarted.pdf", run: "0"));
        await AddNotMatching("invalid.pdf", r => r.AddDocument(kb, "invalid.pdf", status: "0"));
        await AddNotMatching("virtual.pdf", r => r.AddDocument(kb, "virtual.pdf", type: "virtual"));
        await AddNotMatching("old.pdf", r => r.AddDocument(kb, "old.pdf", taskCreated: DateTimeOffset.UtcNow.AddMinutes(-11)));
        // The linked document's file sits under the folder, not under the knowledge base.
        await UploadAsync(store, kb, "linked.txt", 50);
        notMatching.Add($"{kb}/linked.txt");
        await db.InsertAsync(rows, Ct);

        var logs = new CapturingLoggerFactory();
        var cycle = new CacheCycle(Redis.Db, db.TaskSource, store.Storage, Options(), logs.CreateLogger<CacheCycle>());
        var report = await cycle.RunOnceAsync(Ct);

        Assert.Null(report.TaskSourceError);
        Assert.Equal(matching.Keys.Order(), report.Documents.Select(d => d.CacheKey).Order());
        Assert.Equal(3, report.Count(FileOutcome.Cached));
        var database = await Redis.Db.GetDatabaseAsync(Ct);
        foreach (var (key, content) in matching)
        {
            Assert.Equal(content, (byte[]?)await database.StringGetAsync(key));
            var ttl = await database.KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromMinutes(11), TimeSpan.FromMinutes(12));
            Assert.False(await database.KeyExistsAsync(CacheKeys.ClaimKey(key)), "the claim is released");
        }

        foreach (var key in notMatching)
        {
            Assert.False(await database.KeyExistsAsync(key), $"{key} must not be cached");
        }

        Assert.Contains("CACHE: a.pdf", logs.Messages);
        Assert.Contains("CACHE: linked.txt", logs.Messages);
    }

    [Fact]
    public async Task A_cached_file_is_not_fetched_again_on_the_next_cycles()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "once.pdf");
        await UploadAsync(store, kb, "once.pdf", 2_000);
        await db.InsertAsync(rows, Ct);
        var counting = new CountingFileStorage(store.Storage);
        var cycle = new CacheCycle(Redis.Db, db.TaskSource, counting, Options());

        Assert.Equal(FileOutcome.Cached, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));
        Assert.Equal(FileOutcome.AlreadyCached, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));
        Assert.Equal(FileOutcome.AlreadyCached, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));
        Assert.Equal(1, counting.TotalOpens);
    }

    [Fact]
    public async Task A_large_file_is_written_in_chunks_and_published_whole_without_leftover_keys()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "big.bin");
        var content = await UploadAsync(store, kb, "big.bin", (3 * 1024 * 1024) + 123);
        await db.InsertAsync(rows, Ct);
        var cycle = new CacheCycle(Redis.Db, db.TaskSource, store.Storage, Options(o => o.ChunkSize = 64 * 1024));

        var report = await cycle.RunOnceAsync(Ct);

        Assert.Equal(FileOutcome.Cached, Assert.Single(report.Outcomes.Values));
        var key = $"{kb}/big.bin";
        var database = await Redis.Db.GetDatabaseAsync(Ct);
        var cached = (byte[]?)await database.StringGetAsync(key);
        Assert.NotNull(cached);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(cached));
        Assert.Empty(await KeysAsync($"{{{key}}}:*"));
    }

    [Fact]
    public async Task Missing_bucket_and_missing_object_are_reported_and_the_other_files_are_cached()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var noBucket = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "present.pdf");
        rows.AddDocument(kb, "absent.pdf");
        rows.AddDocument(noBucket, "nowhere.pdf");
        var content = await UploadAsync(store, kb, "present.pdf", 700);
        await db.InsertAsync(rows, Ct);
        var cycle = new CacheCycle(Redis.Db, db.TaskSource, store.Storage, Options());

        var report = await cycle.RunOnceAsync(Ct);

        Assert.Equal(FileOutcome.Cached, report.Outcomes[new OngoingDocument(kb, "present.pdf")]);
        Assert.Equal(FileOutcome.NotFound, report.Outcomes[new OngoingDocument(kb, "absent.pdf")]);
        Assert.Equal(FileOutcome.NotFound, report.Outcomes[new OngoingDocument(noBucket, "nowhere.pdf")]);
        Assert.Equal(content, await Redis.Db.GetBytesAsync($"{kb}/present.pdf", Ct));
        Assert.Null(await Redis.Db.GetBytesAsync($"{kb}/absent.pdf", Ct));
        Assert.Empty(await KeysAsync($"{{{kb}/absent.pdf}}:*"));
    }

    [Fact]
    public async Task An_object_deleted_between_listing_and_fetch_is_skipped_and_cached_once_it_is_back()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "vanishing.pdf");
        var content = await UploadAsync(store, kb, "vanishing.pdf", 5_000);
        await db.InsertAsync(rows, Ct);
        var deleteFirst = true;
        var storage = new BeforeOpenFileStorage(store.Storage, async (bucket, location, ct) =>
        {
            if (deleteFirst)
            {
                deleteFirst = false;
                await store.DeleteAsync(bucket, location, ct);
            }
        });
        var cycle = new CacheCycle(Redis.Db, db.TaskSource, storage, Options());

        Assert.Equal(FileOutcome.NotFound, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));
        Assert.Null(await Redis.Db.GetBytesAsync($"{kb}/vanishing.pdf", Ct));

        await store.UploadAsync(kb, "vanishing.pdf", new MemoryStream(content), Ct);
        Assert.Equal(FileOutcome.Cached, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));
        Assert.Equal(content, await Redis.Db.GetBytesAsync($"{kb}/vanishing.pdf", Ct));
    }

    [Fact]
    public async Task An_unreachable_database_is_logged_and_the_daemon_keeps_cycling()
    {
        await using var store = await stores.CreateStoreAsync(Ct);
        var logs = new CapturingLoggerFactory();
        var cycle = new CacheCycle(Redis.Db, databases.CreateUnreachableTaskSource(), store.Storage, Options(), logs.CreateLogger<CacheCycle>());
        var daemon = new CacheDaemon(cycle);

        await daemon.StartAsync(Ct);
        await Poll.UntilAsync(() => daemon.CyclesCompleted >= 3, TimeSpan.FromSeconds(30), "three cycles", Ct);
        await daemon.StopAsync(Ct);

        Assert.NotNull(daemon.LastReport?.TaskSourceError);
        Assert.True(daemon.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Contains(logs.Entries, e => e.Event.Id == 4002);
    }

    [Fact]
    public async Task An_existing_value_is_never_overwritten()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "kept.pdf");
        await UploadAsync(store, kb, "kept.pdf", 3_000);
        await db.InsertAsync(rows, Ct);
        var database = await Redis.Db.GetDatabaseAsync(Ct);
        await database.StringSetAsync($"{kb}/kept.pdf", "written by someone else", TimeSpan.FromMinutes(5));
        var cycle = new CacheCycle(Redis.Db, db.TaskSource, store.Storage, Options());

        Assert.Equal(FileOutcome.AlreadyCached, Assert.Single((await cycle.RunOnceAsync(Ct)).Outcomes.Values));
        Assert.Equal("written by someone else", (string?)await database.StringGetAsync($"{kb}/kept.pdf"));
    }

    [Fact]
    public async Task Files_over_the_maximum_size_are_skipped()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "small.pdf");
        rows.AddDocument(kb, "huge.pdf");
        await UploadAsync(store, kb, "small.pdf", 1_000);
        await UploadAsync(store, kb, "huge.pdf", 1_001);
        await db.InsertAsync(rows, Ct);
        var cycle = new CacheCycle(Redis.Db, db.TaskSource, store.Storage, Options(o => o.MaxFileSize = 1_000));

        var report = await cycle.RunOnceAsync(Ct);

        Assert.Equal(FileOutcome.Cached, report.Outcomes[new OngoingDocument(kb, "small.pdf")]);
        Assert.Equal(FileOutcome.TooLarge, report.Outcomes[new OngoingDocument(kb, "huge.pdf")]);
        Assert.False(await Redis.Db.ExistAsync($"{kb}/huge.pdf", Ct));
        Assert.Empty(await KeysAsync($"{{{kb}/huge.pdf}}:*"));
    }

    [Fact]
    public async Task The_reader_serves_cached_files_from_redis_and_falls_back_to_storage_on_a_miss()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "hot.pdf");
        var hot = await UploadAsync(store, kb, "hot.pdf", 2_500);
        var cold = await UploadAsync(store, kb, "cold.pdf", 1_500);
        await db.InsertAsync(rows, Ct);
        await new CacheCycle(Redis.Db, db.TaskSource, store.Storage, Options()).RunOnceAsync(Ct);
        var reader = new CachedFileReader(Redis.Db, store.Storage);

        var fromCache = await reader.ReadAllBytesAsync(kb, "hot.pdf", Ct);
        var fromStorage = await reader.ReadAllBytesAsync(kb, "cold.pdf", Ct);
        await using var stream = await reader.OpenReadAsync(kb, "cold.pdf", Ct);
        using var copy = new MemoryStream();
        await stream.Content.CopyToAsync(copy, Ct);

        Assert.True(fromCache.FromCache);
        Assert.Equal(hot, fromCache.Content);
        Assert.False(fromStorage.FromCache);
        Assert.Equal(cold, fromStorage.Content);
        Assert.False(stream.FromCache);
        Assert.Equal(cold, copy.ToArray());
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => reader.ReadAllBytesAsync(kb, "nothing.pdf", Ct));
    }

    protected static async Task<byte[]> UploadAsync(ITestFileStore store, string bucket, string location, int size)
    {
        var content = new byte[size];
        Random.Shared.NextBytes(content);
        await store.UploadAsync(bucket, location, new MemoryStream(content), Ct);
        return content;
    }

    protected async Task<List<string>> KeysAsync(string pattern)
    {
        var connection = await Redis.Db.GetConnectionAsync(Ct);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(1, EscapeGlob(pattern)))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    private static string EscapeGlob(string pattern) =>
        // Only the trailing '*' is a wildcard; brackets and other glob characters in ids and names are literal.
        pattern.EndsWith('*') ? EscapeLiteral(pattern[..^1]) + "*" : EscapeLiteral(pattern);

    private static string EscapeLiteral(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? $"\\{c}" : c.ToString()));
}
