using System.Diagnostics;
using RedisFlow.Benchmarks.Cache;
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

    private const string BaselineLabel = "raw SET from memory";
    private const string DaemonLabel = "RedisFlow cache daemon";

    public string Name => "cache-warm";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = context.Sizes;
        var result = new ScenarioResult(Name,
            $"Two sets of random (incompressible) files: {sizes.SmallFiles} × {sizes.SmallFileBytes / 1024} KiB and {sizes.LargeFiles} × {sizes.LargeFileBytes / (1024 * 1024)} MiB. " +
            "Baseline: one raw `SET key bytes EX 720` at a time of the same bytes, already in memory, on a flushed database. " +
            "Daemon: the same files in local storage (`root/bucket/location`), each an ongoing task in a SQLite task database; Redis flushed (cold cache); " +
            "one daemon cycle (`CacheCycle.RunOnceAsync`, default `CacheOptions`: 4 parallel fetches, 1 MiB chunks, at most 4 chunks in flight) in a process of its own, after one untimed cycle into another database (warm code, cold cache), timed from the task query to the last file published; " +
            "peak working set = that process's VmHWM. Every run checks that each key holds the file's full length. MB = 10^6 bytes.");

        await using var raw = await context.ConnectRawAsync().ConfigureAwait(false);
        var rawDb = raw.GetDatabase(BenchContext.Database);
        var sets = FileSet.Both(sizes);
        foreach (var set in sets)
        {
            var files = set.Generate();
            var seconds = new List<double>();
            for (var run = 0; run < sizes.Warmups + sizes.SlowRepetitions; run++)
            {
                await context.FlushAsync(ct).ConfigureAwait(false);
                var started = Stopwatch.GetTimestamp();
                for (var i = 0; i < files.Length; i++)
                {
                    await rawDb.StringSetAsync($"{CacheWarmData.Bucket}/{set.Name}-{i:D4}.pdf", files[i], CacheTtl).ConfigureAwait(false);
                }

                var elapsed = Stopwatch.GetElapsedTime(started);
                if (run >= sizes.Warmups)
                {
                    seconds.Add(elapsed.TotalSeconds);
                    context.Progress($"  raw SET {set.Label}: {Format.Number(files.Length / elapsed.TotalSeconds)} files/s");
                }
            }

            AddRates(result, set, BaselineLabel, seconds, baseline: null, [], []);
            await AddDaemonRowsAsync(context, result, set, files, rawDb, sets[0], ct).ConfigureAwait(false);
        }

        await context.FlushAsync(ct).ConfigureAwait(false);
        return result;
    }

    public static string RowName(FileSet set, string measure, string label) => $"{set.Label}, {measure}, {label}";

    private static void AddRates(ScenarioResult result, FileSet set, string label, IReadOnlyList<double> seconds, string? baseline, Target[] filesTargets, Target[] mbTargets)
    {
        result.Add(new ResultRow(RowName(set, "files/s", label), "files/s", new Sample(seconds.Select(s => set.Count / s)),
            baseline is null ? null : RowName(set, "files/s", baseline)).With(filesTargets));
        result.Add(new ResultRow(RowName(set, "MB/s", label), "MB/s", new Sample(seconds.Select(s => set.Count * (double)set.Bytes / 1e6 / s)),
            baseline is null ? null : RowName(set, "MB/s", baseline)).With(mbTargets));
    }

    private static async Task AddDaemonRowsAsync(BenchContext context, ScenarioResult result, FileSet set, byte[][] files, IDatabase rawDb, FileSet smallSet, CancellationToken ct)
    {
        var sizes = context.Sizes;
        using var data = await CacheWarmData.CreateAsync(set, files, ct).ConfigureAwait(false);
        var seconds = new List<double>();
        var peaks = new List<double>();
        var before = new List<double>();
        for (var run = 0; run < sizes.Warmups + sizes.SlowRepetitions; run++)
        {
            await context.FlushAsync(ct).ConfigureAwait(false);
            var outcome = await CacheWarmChild.RunInChildAsync(context.Server.Endpoint, BenchContext.Database, data, CpuPlacement.Unpinned, ct).ConfigureAwait(false);
            await RequireCachedAsync(rawDb, data, set).ConfigureAwait(false);
            if (run >= sizes.Warmups)
            {
                seconds.Add(outcome.Seconds);
                peaks.Add(outcome.PeakWorkingSetBytes / (1024.0 * 1024));
                before.Add(outcome.WorkingSetBeforeBytes / (1024.0 * 1024));
                context.Progress($"  daemon {set.Label}: {Format.Number(set.Count / outcome.Seconds)} files/s, peak {Format.Number(peaks[^1])} MiB");
            }
        }

        var isSmall = set.Name == FileSet.SmallName;
        // Issue 14: small files at 3x the raw one-at-a-time SETs of the same bytes, in the same run.
        AddRates(result, set, DaemonLabel, seconds, BaselineLabel,
            isSmall ? [Target.AtLeast(2_000, "files/s")] : [],
            [Target.RatioAtLeast(isSmall ? 3 : 0.5, RowName(set, "MB/s", BaselineLabel), "raw SET")]);

        var peakNote = $"{Format.Number(new Sample(before).Median)} MiB before the cycle";
        var smallPeak = RowName(smallSet, "peak working set", DaemonLabel);
        var peak = isSmall
            ? new ResultRow(smallPeak, "MiB", new Sample(peaks), Note: peakNote)
            : new ResultRow(RowName(set, "peak working set", DaemonLabel), "MiB", new Sample(peaks), smallPeak, peakNote)
                .With(Target.RatioAtMost(1.25, smallPeak, $"the {smallSet.Label} peak (independent of file size)"));
        result.Add(peak);
    }

    private static async Task RequireCachedAsync(IDatabase db, CacheWarmData data, FileSet set)
    {
        foreach (var key in data.Keys)
        {
            var length = await db.StringLengthAsync(key).ConfigureAwait(false);
            if (length != set.Bytes)
            {
                throw new InvalidOperationException($"{key} holds {length} bytes after the daemon's cycle; expected {set.Bytes}.");
            }
        }
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
