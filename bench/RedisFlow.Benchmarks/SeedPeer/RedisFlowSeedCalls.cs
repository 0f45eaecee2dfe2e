using System.Diagnostics;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Streams;
using RedisFlow.Locking;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.SeedPeer;

/// <summary>
/// The RedisFlow side of the Python-peer rows: the seed API called as a user ports RAGFlow's code, one awaited call
/// at a time, each method the counterpart of a command of bench/python/seed_peer.py. Only public API, so the rows
/// measure whatever transport and lock the library ships.
/// </summary>
public sealed class RedisFlowSeedCalls(RedisDb db, IDatabase raw)
{
    /// <summary>The 64-byte value of every Set, as the Python peer's.</summary>
    public static readonly string Value = new('v', 64);

    /// <summary>The TTL RAGFlow's cache daemon gives files (12 minutes).</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(12);

    /// <summary><paramref name="count"/> × <c>QueueProductAsync</c> (seed <c>queue_product</c>).</summary>
    public async Task<double> ProduceAsync(string queue, int count)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            await RedisFlowStreams.ProduceAsync(db, queue, i).ConfigureAwait(false);
        }

        return InFlight.Rate(count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// <paramref name="count"/> × <c>QueueConsumerAsync</c> with its default block, decode, <c>AckAsync</c> (seed
    /// <c>queue_consumer</c> + <c>get_message</c> + <c>ack</c>) on a queue filled beforehand.
    /// </summary>
    public async Task<double> ConsumeAsync(string queue, string group, string consumer, int count)
    {
        var started = Stopwatch.GetTimestamp();
        var empty = 0;
        for (var handled = 0; handled < count;)
        {
            var message = await db.QueueConsumerAsync(queue, group, consumer).ConfigureAwait(false);
            if (message is null)
            {
                // Filled beforehand: an empty read (2 s block) means fewer entries than asked.
                if (++empty > 2)
                {
                    throw new InvalidOperationException($"{queue} drained after {handled} of {count} entries.");
                }

                continue;
            }

            empty = 0;
            _ = message.GetMessage<TaskMessage>();
            if (!await message.AckAsync().ConfigureAwait(false))
            {
                throw new InvalidOperationException($"AckAsync failed for {message}.");
            }

            handled++;
        }

        return InFlight.Rate(count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary><paramref name="count"/> uncontended cycles of a new <see cref="RedisDistributedLock"/> with the seed's defaults: <c>AcquireAsync</c>, <c>ReleaseAsync</c>.</summary>
    public async Task<double> LockCyclesAsync(string key, int count)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var redisLock = new RedisDistributedLock(db, key);
            await using (redisLock.ConfigureAwait(false))
            {
                if (!await redisLock.AcquireAsync().ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"An uncontended AcquireAsync failed on {key}.");
                }

                await redisLock.ReleaseAsync().ConfigureAwait(false);
            }
        }

        return InFlight.Rate(count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary><paramref name="count"/> × <c>GetAsync</c> over keys <c>prefix0..prefix{keys-1}</c>.</summary>
    public async Task<double> GetAsync(string prefix, int keys, int count)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            _ = await db.GetAsync(prefix + (i % keys)).ConfigureAwait(false);
        }

        return InFlight.Rate(count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary><paramref name="count"/> × <c>SetAsync(key, value, 3600)</c> over keys <c>prefix0..prefix{keys-1}</c>.</summary>
    public async Task<double> SetAsync(string prefix, int keys, int count)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            if (!await db.SetAsync(prefix + (i % keys), Value, 3600).ConfigureAwait(false))
            {
                throw new InvalidOperationException("SetAsync failed.");
            }
        }

        return InFlight.Rate(count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The raw baseline of the cache rows: the files <c>root/key</c> read into memory first (not timed), then one raw
    /// StackExchange.Redis <c>SET key bytes EX 720</c> awaited at a time, or (<paramref name="pipelined"/>) all sent
    /// before the first reply is awaited. Returns seconds and bytes.
    /// </summary>
    public async Task<(double Seconds, long Bytes)> RawSetFilesAsync(string root, IReadOnlyList<string> keys, bool pipelined, CancellationToken ct)
    {
        var files = new byte[keys.Count][];
        for (var i = 0; i < keys.Count; i++)
        {
            files[i] = await File.ReadAllBytesAsync(Path.Combine(root, keys[i]), ct).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        if (pipelined)
        {
            await Task.WhenAll(keys.Select((key, i) => raw.StringSetAsync(key, files[i], CacheTtl))).ConfigureAwait(false);
        }
        else
        {
            for (var i = 0; i < keys.Count; i++)
            {
                await raw.StringSetAsync(keys[i], files[i], CacheTtl).ConfigureAwait(false);
            }
        }

        return (Stopwatch.GetElapsedTime(started).TotalSeconds, files.Sum(f => (long)f.Length));
    }
}
