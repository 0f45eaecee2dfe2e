using RedisFlow.CacheServer;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.SampleData;
using RedisFlow.TestProcesses;
using RedisFlow.Testing.Cache;
using StackExchange.Redis;

namespace RedisFlow.Chaos.Tests;

/// <summary>
/// The file-cache daemon (<see cref="CacheDaemon"/>, in the test process) on a SQLite task database and a local
/// folder, as the CacheServer tests run it. Documents keep arriving during the run; each file's content is derived
/// from the seed and its index, so it is regenerated for the byte comparison instead of kept in memory.
/// </summary>
public sealed class ChaosCache(RedisDb db, IDatabase check, int seed) : IAsyncDisposable
{
    // RAGFlow's query only returns tasks created in the last 10 minutes (SqlTaskSource.Window); older documents are no
    // longer refreshed and expire. Only younger ones must be cached at the end.
    private static readonly TimeSpan Expected = SqlTaskSource.Window - TimeSpan.FromMinutes(1);
    private readonly SqliteTaskDatabaseFixture _databases = new();
    private readonly LocalFileStorageFixture _stores = new();
    private readonly List<(string Key, int Index, int Size, DateTimeOffset Added)> _files = [];
    private readonly HashSet<string> _seenCached = [];
    private readonly string _bucket = RagflowRows.NewId();
    private ITestTaskDatabase? _database;
    private ITestFileStore? _store;
    private CacheDaemon? _daemon;
    private long _vanished;

    /// <summary>Times a file seen cached was later found missing (evicted, or lost), though it was still expected.</summary>
    public long Vanished => Interlocked.Read(ref _vanished);

    /// <summary>Creates the database and store, adds the first files and starts the daemon.</summary>
    public async Task StartAsync(int initialFiles, CancellationToken ct)
    {
        _database = await _databases.CreateDatabaseAsync(ct).ConfigureAwait(false);
        _store = await _stores.CreateStoreAsync(ct).ConfigureAwait(false);
        for (var i = 0; i < initialFiles; i++)
        {
            await AddFileAsync(ct).ConfigureAwait(false);
        }

        // Small chunks, so most files are written in several steps that faults can interrupt.
        var options = new CacheOptions { ChunkSize = 64 * 1024, ParallelFetches = 2, PollInterval = TimeSpan.FromSeconds(1) };
        _daemon = new CacheDaemon(new CacheCycle(db, _database.TaskSource, _store.Storage, options));
        await _daemon.StartAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Adds a file every few seconds (seeded) until <paramref name="stop"/>, and watches for cached files that vanish.</summary>
    public async Task FeedAsync(CancellationToken stop)
    {
        var random = new Random(ChaosPayload.Mix(seed, 3_000));
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(2_000 + random.Next(4_000)), stop).ConfigureAwait(false);
                await AddFileAsync(stop).ConfigureAwait(false);
                await WatchAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The fault window is over.
        }
    }

    /// <summary>
    /// Compares every cached file with its content: answers the files expected now (task younger than RAGFlow's
    /// window), how many of them are cached, the cached files compared (expected or not) and the exact ones.
    /// </summary>
    public async Task<(int Expected, int ExpectedCached, int Compared, int Exact, IReadOnlyList<string> Mismatches)> CheckAsync()
    {
        var now = DateTimeOffset.UtcNow;
        int expected = 0, expectedCached = 0, compared = 0, exact = 0;
        var mismatches = new List<string>();
        foreach (var (key, index, size, added) in _files.ToList())
        {
            var isExpected = now - added < Expected;
            expected += isExpected ? 1 : 0;
            var cached = (byte[]?)await check.StringGetAsync(key).ConfigureAwait(false);
            if (cached is null)
            {
                continue;
            }

            expectedCached += isExpected ? 1 : 0;
            compared++;
            if (cached.AsSpan().SequenceEqual(Content(index, size)))
            {
                exact++;
            }
            else
            {
                mismatches.Add($"{key}: {cached.Length} bytes cached, {size} stored");
            }
        }

        return (expected, expectedCached, compared, exact, mismatches);
    }

    /// <summary>Whether every expected file is cached now (the drain waits for it).</summary>
    public async Task<bool> AllExpectedCachedAsync()
    {
        try
        {
            var result = await CheckAsync().ConfigureAwait(false);
            return result.ExpectedCached == result.Expected;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            return false; // Not answered in time on a loaded machine: ask again on the next poll.
        }
    }

    /// <summary>Why the daemon's loop ended before it was stopped (it must never), or null while it runs.</summary>
    public Exception? DaemonFailure => _daemon?.ExecuteTask is { IsCompleted: true } task ? (Exception?)task.Exception ?? new InvalidOperationException($"daemon loop ended: {task.Status}") : null;

    /// <summary>Stops the daemon (bounded).</summary>
    public async Task StopAsync()
    {
        if (_daemon is not null)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _daemon.StopAsync(limit.Token).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _daemon?.Dispose();
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        if (_database is not null)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
        }

        await _stores.DisposeAsync().ConfigureAwait(false);
        await _databases.DisposeAsync().ConfigureAwait(false);
    }

    private async Task AddFileAsync(CancellationToken ct)
    {
        var index = _files.Count;
        var random = new Random(ChaosPayload.Mix(seed, 4_000_000 + index));
        // 1 KB to 200 KB: from one chunk to four.
        var size = 1024 + random.Next(199 * 1024);
        var location = $"chaos-{index}.bin";
        await _store!.UploadAsync(_bucket, location, new MemoryStream(Content(index, size)), ct).ConfigureAwait(false);
        var rows = new RagflowRows();
        rows.AddDocument(_bucket, location);
        await _database!.InsertAsync(rows, ct).ConfigureAwait(false);
        _files.Add(($"{_bucket}/{location}", index, size, DateTimeOffset.UtcNow));
    }

    /// <summary>Notes which expected files are cached; one seen before and missing now has vanished.</summary>
    private async Task WatchAsync()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (key, _, _, added) in _files.ToList())
        {
            if (now - added >= Expected)
            {
                continue;
            }

            bool exists;
            try
            {
                exists = await check.KeyExistsAsync(key).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                return; // Redis is down or paused: nothing to learn this time.
            }

            if (exists)
            {
                _seenCached.Add(key);
            }
            else if (_seenCached.Remove(key))
            {
                Interlocked.Increment(ref _vanished);
            }
        }
    }

    private byte[] Content(int index, int size)
    {
        var content = new byte[size];
        new Random(ChaosPayload.Mix(seed, 5_000_000 + index)).NextBytes(content);
        return content;
    }
}
