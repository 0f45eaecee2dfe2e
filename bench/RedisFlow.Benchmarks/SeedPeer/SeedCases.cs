using System.Globalization;
using RedisFlow.Benchmarks.Cache;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Peers;
using RedisFlow.Benchmarks.Streams;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.SeedPeer;

/// <summary>
/// One measured run of each python-peer case, asked of either side's peer process, with the set-up it needs (a
/// filled stream, a cold Redis) and a check that the run did all its work (every entry acked, every file cached
/// whole, no lock left behind) before its rate counts.
/// </summary>
public static class SeedCases
{
    public const string Group = "bench-seed";
    public const string KvPrefix = "bench:seed:kv:";
    public const int KvKeys = 1_000;
    public static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(5);

    /// <summary>Sets the Get/Set cases' keys (64-byte values, EX 3600), pipelined; not timed.</summary>
    public static async Task PrefillKeysAsync(IDatabase db)
    {
        var sets = new Task[KvKeys];
        for (var i = 0; i < KvKeys; i++)
        {
            sets[i] = db.StringSetAsync(KvPrefix + i.ToString(CultureInfo.InvariantCulture), new string('v', 64), TimeSpan.FromSeconds(3600));
        }

        await Task.WhenAll(sets).ConfigureAwait(false);
    }

    /// <summary>Produce into a new stream; counts only when the stream then holds every entry.</summary>
    public static async Task<double> ProduceAsync(LineProtocolPeer peer, IDatabase db, int count, CancellationToken ct)
    {
        var stream = $"bench:seed:produce:{Guid.NewGuid():N}";
        var rate = await peer.RateAsync($"produce {stream} {count}", CommandLimit, ct).ConfigureAwait(false);
        var length = await db.StreamLengthAsync(stream).ConfigureAwait(false);
        await db.KeyDeleteAsync(stream).ConfigureAwait(false);
        return length == count ? rate : throw new InvalidOperationException($"{stream} holds {length} entries after {count} adds.");
    }

    /// <summary>Drains a new stream filled beforehand (not timed); counts only when every entry was acked.</summary>
    public static async Task<double> ConsumeAsync(LineProtocolPeer peer, IDatabase db, string side, int count, CancellationToken ct)
    {
        var stream = $"bench:seed:consume:{Guid.NewGuid():N}";
        await RawStreams.ResetAsync(db, stream, Group).ConfigureAwait(false);
        await RawStreams.FillAsync(db, stream, count).ConfigureAwait(false);
        var rate = await peer.RateAsync($"consume {stream} {Group} {side}-consumer {count}", CommandLimit, ct).ConfigureAwait(false);
        await RawStreams.RequireAllAckedAsync(db, stream, Group, count, count).ConfigureAwait(false);
        await db.KeyDeleteAsync(stream).ConfigureAwait(false);
        return rate;
    }

    /// <summary>Lock cycles on a new key; counts only when the last release left the key free.</summary>
    public static async Task<double> LockAsync(LineProtocolPeer peer, IDatabase db, int count, CancellationToken ct)
    {
        var key = $"bench:seed:lock:{Guid.NewGuid():N}";
        var rate = await peer.RateAsync($"lock {key} {count}", CommandLimit, ct).ConfigureAwait(false);
        return await db.KeyExistsAsync(key).ConfigureAwait(false) ? throw new InvalidOperationException($"{key} still held after the last release.") : rate;
    }

    /// <summary>One <c>cache_file_svr.main()</c> cycle of the Python peer on a cold Redis; MB/s.</summary>
    public static async Task<double> PythonCacheAsync(BenchContext context, LineProtocolPeer peer, IDatabase db, CacheWarmData data, int[] lengths, CancellationToken ct)
    {
        await data.RefreshTasksAsync(ct).ConfigureAwait(false);
        await context.FlushAsync(ct).ConfigureAwait(false);
        var answer = await peer.AskAsync($"cache {data.DatabaseFile} {data.Root}", CommandLimit, ct).ConfigureAwait(false);
        return await CachedRateAsync(db, data, lengths, answer.GetProperty("seconds").GetDouble()).ConfigureAwait(false);
    }

    /// <summary>
    /// The raw StackExchange.Redis baselines on a cold Redis, from memory: one SET at a time, or (<paramref name="pipelined"/>)
    /// every SET sent at once, which is as fast as redis-server itself takes these bytes; MB/s.
    /// </summary>
    public static async Task<double> RawCacheAsync(BenchContext context, LineProtocolPeer peer, IDatabase db, CacheWarmData data, int[] lengths, bool pipelined, CancellationToken ct)
    {
        await context.FlushAsync(ct).ConfigureAwait(false);
        var answer = await peer.AskAsync($"{(pipelined ? "rawsetall" : "rawset")} {data.Root} {string.Join(' ', data.Keys)}", CommandLimit, ct).ConfigureAwait(false);
        return await CachedRateAsync(db, data, lengths, answer.GetProperty("seconds").GetDouble()).ConfigureAwait(false);
    }

    /// <summary>
    /// redis-benchmark SETs of the same value sizes as the files, on new keys of a cold Redis, one client: the server's
    /// own intake for this workload, with no client of ours in the way; MB/s over all the bytes.
    /// </summary>
    public static async Task<double> RedisBenchmarkCacheAsync(BenchContext context, CpuPlacement placement, int[] lengths, CancellationToken ct)
    {
        await context.FlushAsync(ct).ConfigureAwait(false);
        var seconds = 0.0;
        foreach (var group in lengths.GroupBy(l => l))
        {
            var count = group.Count();
            seconds += count / await RedisBenchmarkTool.SetNewKeysAsync(context.Server, count, group.Key, placement, ct).ConfigureAwait(false);
        }

        return lengths.Sum(l => (double)l) / 1e6 / seconds;
    }

    /// <summary>One cycle of RedisFlow's cache daemon in a fresh process with <paramref name="placement"/>, on a cold Redis; MB/s.</summary>
    public static async Task<double> DaemonCacheAsync(BenchContext context, CpuPlacement placement, IDatabase db, CacheWarmData data, int[] lengths, CancellationToken ct)
    {
        await data.RefreshTasksAsync(ct).ConfigureAwait(false);
        await context.FlushAsync(ct).ConfigureAwait(false);
        var outcome = await CacheWarmChild.RunInChildAsync(context.Server.Endpoint, BenchContext.Database, data, placement, ct).ConfigureAwait(false);
        return await CachedRateAsync(db, data, lengths, outcome.Seconds).ConfigureAwait(false);
    }

    /// <summary>MB/s of a cache run, after checking that every key holds its whole file.</summary>
    private static async Task<double> CachedRateAsync(IDatabase db, CacheWarmData data, int[] lengths, double seconds)
    {
        for (var i = 0; i < data.Keys.Count; i++)
        {
            var length = await db.StringLengthAsync(data.Keys[i]).ConfigureAwait(false);
            if (length != lengths[i])
            {
                throw new InvalidOperationException($"{data.Keys[i]} holds {length} bytes after the cache run; expected {lengths[i]}.");
            }
        }

        return lengths.Sum(l => (double)l) / 1e6 / seconds;
    }
}
