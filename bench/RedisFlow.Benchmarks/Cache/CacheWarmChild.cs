using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.CacheServer;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Storage;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Benchmarks.Cache;

/// <summary>
/// The daemon side of <c>cache-warm</c>, run in a process of its own so its peak working set is its own: one cycle
/// of the daemon (<see cref="CacheCycle"/>, default <see cref="CacheOptions"/>) over SQLite and local storage,
/// printing <c>RESULT {json}</c>. Started by the scenario as <c>RedisFlow.Benchmarks cache-warm-child ...</c>.
/// </summary>
public static class CacheWarmChild
{
    public const string Command = "cache-warm-child";

    public sealed record Outcome(double Seconds, int Cached, int Expected, long PeakWorkingSetBytes, long WorkingSetBeforeBytes);

    /// <summary>Arguments: endpoint, database number, SQLite connection string, storage root, expected file count.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (endpoint, database, connectionString, root) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), args[2], args[3]);
        var expected = int.Parse(args[4], CultureInfo.InvariantCulture);
        // A daemon is long-lived: warm its code paths with one untimed cycle into another database, emptied after,
        // so the timed cycle meets a cold cache but not a cold JIT.
        await using (var warmDb = await RedisDb.ConnectAsync(new RedisDbOptions { Host = endpoint, Db = database + 1, ClientName = "bench-cache-warmup" }, null, ct).ConfigureAwait(false))
        {
            await new CacheCycle(warmDb, new SqliteTaskSource(connectionString), new LocalFileStorage(root), new CacheOptions()).RunOnceAsync(ct).ConfigureAwait(false);
            await (await warmDb.GetDatabaseAsync(ct).ConfigureAwait(false)).ExecuteAsync("FLUSHDB").ConfigureAwait(false);
        }

        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = endpoint, Db = database, ClientName = "bench-cache-daemon" }, null, ct).ConfigureAwait(false);
        var cycle = new CacheCycle(db, new SqliteTaskSource(connectionString), new LocalFileStorage(root), new CacheOptions());
        var before = WorkingSet("VmRSS");
        var started = Stopwatch.GetTimestamp();
        var report = await cycle.RunOnceAsync(ct).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var outcome = new Outcome(elapsed.TotalSeconds, report.Count(FileOutcome.Cached), expected, WorkingSet("VmHWM"), before);
        Console.WriteLine($"RESULT {JsonSerializer.Serialize(outcome)}");
        return outcome.Cached == expected ? 0 : 1;
    }

    /// <summary>
    /// Runs one daemon cycle over <paramref name="data"/> in a child process started with <paramref name="placement"/>;
    /// throws when it fails or caches fewer files than listed.
    /// </summary>
    public static async Task<Outcome> RunInChildAsync(string endpoint, int database, CacheWarmData data, CpuPlacement placement, CancellationToken ct)
    {
        var dll = typeof(CacheWarmChild).Assembly.Location;
        var (program, args) = placement.Wrap("dotnet",
            [dll, Command, endpoint, database.ToString(CultureInfo.InvariantCulture), data.ConnectionString, data.Root, data.Keys.Count.ToString(CultureInfo.InvariantCulture)]);
        var outcome = await ChildProcess.RunAsync(program, args, TimeSpan.FromMinutes(5), ct: ct).ConfigureAwait(false);
        var line = outcome.StandardOutput.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (outcome.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"The cache daemon run failed ({outcome.ExitCode}): {outcome.StandardOutput}\n{outcome.StandardError}");
        }

        return JsonSerializer.Deserialize<Outcome>(line[7..])!;
    }

    /// <summary>A field of /proc/self/status in bytes (VmHWM = peak resident set, VmRSS = now).</summary>
    private static long WorkingSet(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kib = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return Environment.WorkingSet;
    }
}
