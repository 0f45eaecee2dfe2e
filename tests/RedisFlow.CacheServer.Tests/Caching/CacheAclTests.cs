using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.SampleData;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>
/// The daemon and the reader as an ACL user with exactly <see cref="RedisAclRules.CacheDaemon"/>: a small file and a
/// file written in chunks are cached (memory guard on, so INFO memory is sent) and read back, and nothing is denied.
/// A user missing any one of the rules the daemon adds to the foundation gets a problem naming Redis:Username.
/// </summary>
public sealed class CacheAclTests(AclFixture fixture, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<AclFixture>, IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private const string Secret = "c4che-Pa55-word";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_daemon_and_the_reader_run_under_exactly_the_documented_rules()
    {
        var user = "cache-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Acl.CreateUserAsync(user, Secret, RedisAclRules.CacheDaemon, Ct);
        var logs = new CapturingLoggerFactory();
        await using var db = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), logs, Ct);
        await using var tasks = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var (kb, files) = await AddFilesAsync(tasks, store);

        var cycle = new CacheCycle(db, tasks.TaskSource, store.Storage, Options(), logs.CreateLogger<CacheCycle>());
        var report = await cycle.RunOnceAsync(Ct);
        Assert.All(report.Outcomes.Values, o => Assert.Equal(FileOutcome.Cached, o));
        Assert.Equal(files.Count, report.Outcomes.Count);
        Assert.All((await cycle.RunOnceAsync(Ct)).Outcomes.Values, o => Assert.Equal(FileOutcome.AlreadyCached, o));

        var reader = new CachedFileReader(db, store.Storage);
        foreach (var (location, content) in files)
        {
            var read = await reader.ReadAllBytesAsync(kb, location, Ct);
            Assert.True(read.FromCache);
            Assert.Equal(SHA256.HashData(content), SHA256.HashData(read.Content));
        }

        Assert.Equal(string.Empty, await fixture.Acl.DeniedAsync(user, Ct));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("NOPERM", StringComparison.Ordinal));
        Assert.Null(db.LastProblem);
    }

    [Fact]
    public void The_documented_cache_daemon_rule_is_the_tested_one() =>
        Assert.Contains("ACL SETUSER ragflow-cache on >PASSWORD " + RedisAclRules.CacheDaemon + "\n",
            RepositoryFiles.ReadAllText("docs", "production-redis.md"), StringComparison.Ordinal);

    [Theory]
    [InlineData("+append")]
    [InlineData("+pexpire")]
    [InlineData("+strlen")]
    [InlineData("+rename")]
    public async Task A_user_missing_one_cache_rule_gets_a_problem_naming_Redis_Username_and_the_rule(string rule)
    {
        var user = "nocache-" + Guid.NewGuid().ToString("N")[..8];
        var rules = RedisAclRules.CacheDaemon.Replace(" " + rule, string.Empty, StringComparison.Ordinal);
        Assert.NotEqual(RedisAclRules.CacheDaemon, rules);
        await fixture.Acl.CreateUserAsync(user, Secret, rules, Ct);
        await using var db = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), ct: Ct);
        await using var tasks = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        await AddFilesAsync(tasks, store);

        // These rules serve the chunked path, taken when the storage announces no length (a known one is streamed as one SET).
        var report = await new CacheCycle(db, tasks.TaskSource, AnnouncedLengthFileStorage.Unknown(store.Storage), Options()).RunOnceAsync(Ct);

        Assert.Contains(FileOutcome.Failed, report.Outcomes.Values);
        var problem = db.LastProblem;
        Assert.NotNull(problem);
        Assert.Equal("Redis:Username", problem.Setting);
        Assert.Contains($"ACL SETUSER {user} {rule}", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, problem.Message, StringComparison.Ordinal);
    }

    private static CacheOptions Options() => new() { ChunkSize = 64 * 1024, MemoryGuardFraction = 0.9 };

    /// <summary>A small file and one of several chunks, both matching RAGFlow's ongoing-task query.</summary>
    private static async Task<(string Bucket, Dictionary<string, byte[]> Files)> AddFilesAsync(ITestTaskDatabase tasks, ITestFileStore store)
    {
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["small.pdf"] = new byte[3_000],
            ["chunked.bin"] = new byte[(300 * 1024) + 5],
        };
        foreach (var (location, content) in files)
        {
            Random.Shared.NextBytes(content);
            rows.AddDocument(kb, location);
            await store.UploadAsync(kb, location, new MemoryStream(content), Ct);
        }

        await tasks.InsertAsync(rows, Ct);
        return (kb, files);
    }
}
