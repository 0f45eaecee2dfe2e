using System.Diagnostics;
using RedisFlow.Benchmarks.Harness;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Scenarios;

/// <summary>
/// <c>cache-warm</c>: the cache daemon copying the files of ongoing documents from local storage into a cold Redis,
/// vs a raw SET of the same bytes already in memory.
/// </summary>
public sealed class CacheWarmScenario : IScenario
{
    /// <summary>The TTL RAGFlow's daemon gives cached files (12 minutes).</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(12);

    public string Name => "cache-warm";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = context.Sizes;
        var result = new ScenarioResult(Name,
            $"Two sets of random (incompressible) files: {sizes.SmallFiles} × {sizes.SmallFileBytes / 1024} KiB and {sizes.LargeFiles} × {sizes.LargeFileBytes / (1024 * 1024)} MiB. " +
            "Baseline: one raw `SET key bytes EX 720` at a time of the same bytes, already in memory, on a flushed database. " +
            "Daemon: the same files in local storage, listed as ongoing tasks in a SQLite task database, Redis flushed (cold cache); timed until every key is in Redis. MB = 10^6 bytes.");

        await using var raw = await context.ConnectRawAsync().ConfigureAwait(false);
        var rawDb = raw.GetDatabase(BenchContext.Database);
        foreach (var set in FileSet.Both(sizes))
        {
            var files = set.Generate();
            var seconds = new List<double>();
            for (var run = 0; run < sizes.Warmups + sizes.SlowRepetitions; run++)
            {
                await context.FlushAsync(ct).ConfigureAwait(false);
                var started = Stopwatch.GetTimestamp();
                for (var i = 0; i < files.Length; i++)
                {
                    await rawDb.StringSetAsync($"bench-bucket/{set.Name}-{i}", files[i], CacheTtl).ConfigureAwait(false);
                }

                var elapsed = Stopwatch.GetElapsedTime(started);
                if (run >= sizes.Warmups)
                {
                    seconds.Add(elapsed.TotalSeconds);
                    context.Progress($"  raw SET {set.Label}: {Format.Number(files.Length / elapsed.TotalSeconds)} files/s");
                }
            }

            AddRows(result, set, "raw SET from memory", seconds, baseline: null);
            AddUnavailableDaemonRows(result, set);
        }

        await context.FlushAsync(ct).ConfigureAwait(false);
        return result;
    }

    public static string RowName(FileSet set, string measure, string label) => $"{set.Label}, {measure}, {label}";

    public static void AddRows(ScenarioResult result, FileSet set, string label, IReadOnlyList<double> seconds, string? baseline)
    {
        var filesName = RowName(set, "files/s", label);
        var mbName = RowName(set, "MB/s", label);
        result.Add(new ResultRow(filesName, "files/s", new Sample(seconds.Select(s => set.Count / s)), baseline is null ? null : RowName(set, "files/s", baseline)));
        result.Add(new ResultRow(mbName, "MB/s", new Sample(seconds.Select(s => set.Count * (double)set.Bytes / 1e6 / s)), baseline is null ? null : RowName(set, "MB/s", baseline)));
    }

    private static void AddUnavailableDaemonRows(ScenarioResult result, FileSet set)
    {
        const string Label = "RedisFlow cache daemon";
        var baseline = "raw SET from memory";
        var files = ResultRow.Unavailable(RowName(set, "files/s", Label), "files/s", NotYet.CacheDaemon, RowName(set, "files/s", baseline));
        var mb = ResultRow.Unavailable(RowName(set, "MB/s", Label), "MB/s", NotYet.CacheDaemon, RowName(set, "MB/s", baseline));
        if (set.Name == FileSet.SmallName)
        {
            files = files.With(Target.AtLeast(2_000, "files/s"));
        }
        else
        {
            mb = mb.With(Target.RatioAtLeast(0.5, RowName(set, "MB/s", baseline), "raw SET"));
        }

        result.Add(files);
        result.Add(mb);
        result.Add(ResultRow.Unavailable(RowName(set, "peak working set", Label), "MiB", NotYet.CacheDaemon));
    }
}

/// <summary>One set of cache-warm files: how many and how big.</summary>
public sealed record FileSet(string Name, int Count, int Bytes)
{
    public const string SmallName = "small";
    public const string LargeName = "large";

    public string Label => Bytes >= 1024 * 1024 ? $"{Count} × {Bytes / (1024 * 1024)} MiB" : $"{Count} × {Bytes / 1024} KiB";

    public static FileSet[] Both(BenchSizes sizes) =>
    [
        new(SmallName, sizes.SmallFiles, sizes.SmallFileBytes),
        new(LargeName, sizes.LargeFiles, sizes.LargeFileBytes),
    ];

    /// <summary>Random contents, so neither side can gain from compression or deduplication.</summary>
    public byte[][] Generate()
    {
        var random = new Random(Count * 31 + Bytes);
        var files = new byte[Count][];
        for (var i = 0; i < Count; i++)
        {
            files[i] = new byte[Bytes];
            random.NextBytes(files[i]);
        }

        return files;
    }
}
