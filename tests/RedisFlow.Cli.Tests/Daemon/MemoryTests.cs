using System.Security.Cryptography;
using RedisFlow.Embedded;
using RedisFlow.SampleData;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;

namespace RedisFlow.Cli.Tests.Daemon;

/// <summary>The daemon's memory does not grow with file size: a 64 MiB file goes through one chunk at a time.</summary>
public sealed class MemoryTests(SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private const long FileSize = 64L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_64_MiB_file_is_cached_while_the_daemon_s_peak_rss_stays_well_below_64_MiB_above_idle()
    {
        // A server of its own: 64 MiB through the shared one would slow the other tests down.
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var redis = await RedisDb.ConnectAsync(RedisFixture.OptionsFor(server), ct: Ct);
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var warmUp = new RagflowRows();
        warmUp.AddDocument(kb, "warm-up.pdf");
        await store.UploadAsync(kb, "warm-up.pdf", new MemoryStream(new byte[200_000]), Ct);
        await db.InsertAsync(warmUp, Ct);
        var content = new byte[FileSize];
        Random.Shared.NextBytes(content);
        var expectedHash = SHA256.HashData(content);
        await store.UploadAsync(kb, "big.bin", new MemoryStream(content), Ct);
        content = [];
        var environment = new Dictionary<string, string?>(db.Settings.Concat(store.Settings))
        {
            ["Redis:Host"] = server.Endpoint,
            ["Cache:PollInterval"] = "00:00:00.100",
        };
        await using var serve = CliRunner.Launch(environment, "serve");

        // Idle: started, a small file cached (code paths and scripts warm), nothing in flight.
        await Poll.UntilAsync(async () => await redis.ExistAsync($"{kb}/warm-up.pdf", Ct) == true, TimeSpan.FromSeconds(60), "the warm-up file cached", Ct);
        var idle = serve.ProcStatusBytes("VmRSS");
        var peakReset = serve.ResetPeak();
        var big = new RagflowRows();
        big.AddDocument(kb, "big.bin");
        await db.InsertAsync(big, Ct);
        await Poll.UntilAsync(async () => await redis.ExistAsync($"{kb}/big.bin", Ct) == true, TimeSpan.FromSeconds(120), "the 64 MiB file cached", Ct);
        var peak = serve.ProcStatusBytes("VmHWM");

        Assert.Equal(expectedHash, await CachedHashAsync(redis, $"{kb}/big.bin"));
        var growth = peak - idle;
        TestContext.Current.TestOutputHelper?.WriteLine($"idle RSS {idle / 1048576.0:0.0} MiB, peak {peak / 1048576.0:0.0} MiB (reset: {peakReset}), growth {growth / 1048576.0:0.0} MiB");
        // "Well below": half the file size, although the whole file went through the process.
        Assert.True(growth < FileSize / 2, $"peak RSS grew {growth / 1048576.0:0.0} MiB above idle ({idle / 1048576.0:0.0} MiB) while caching a 64 MiB file");
    }

    /// <summary>SHA-256 of the cached value, read in ranges so a busy machine does not hit the client's timeout.</summary>
    private static async Task<byte[]> CachedHashAsync(RedisDb redis, string key)
    {
        var database = await redis.GetDatabaseAsync(Ct);
        var length = await database.StringLengthAsync(key);
        Assert.Equal(FileSize, length);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        const int range = 4 * 1024 * 1024;
        for (long start = 0; start < length; start += range)
        {
            hash.AppendData((byte[])(await database.StringGetRangeAsync(key, start, start + range - 1))!);
        }

        return hash.GetHashAndReset();
    }
}
