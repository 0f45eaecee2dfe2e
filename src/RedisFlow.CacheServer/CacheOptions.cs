using System.Globalization;
using Microsoft.Extensions.Options;

namespace RedisFlow.CacheServer;

/// <summary>
/// How the file-cache daemon works. Bound from the <c>Cache</c> configuration section (<c>Cache__Ttl=00:12:00</c>).
/// The defaults keep the seed's behaviour (12-minute TTL, a cycle every second) and add the safety settings.
/// </summary>
public sealed class CacheOptions : IOptions<CacheOptions>
{
    /// <summary>The configuration section name the options bind from.</summary>
    public const string SectionName = "Cache";

    /// <summary>Time-to-live of a cached file (the seed's 12 minutes).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(12);

    /// <summary>Pause between two cycles (the seed's 1 second).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Files fetched at the same time by one daemon. Default 4. The bytes in flight are bounded by
    /// <see cref="ChunksInFlight"/>, not by this.
    /// </summary>
    public int ParallelFetches { get; set; } = 4;

    /// <summary>Largest file cached, in bytes; larger ones are skipped (logged, counted). Default 256 MiB.</summary>
    public long MaxFileSize { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// No file is cached while Redis <c>used_memory</c> is above this fraction of <c>maxmemory</c>, nor one whose size
    /// would take it above. Ignored when the server has no <c>maxmemory</c>. Default 0.9; 1 disables the guard.
    /// </summary>
    public double MemoryGuardFraction { get; set; } = 0.9;

    /// <summary>
    /// Lifetime of the per-file claim that keeps other daemon replicas from fetching the same file; renewed with
    /// each chunk written, released when the file is done. Default 30 s.
    /// </summary>
    public TimeSpan ClaimTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes read from storage and written to Redis per command. Default 1 MiB.</summary>
    public int ChunkSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Chunks being read or sent at once, across all fetches: a file's chunks are pipelined (the next one is sent
    /// before the previous one's reply), and the daemon's chunk buffers total at most
    /// <c>ChunksInFlight × ChunkSize</c> whatever the file sizes. Default 4 (4 MiB).
    /// </summary>
    public int ChunksInFlight { get; set; } = 4;

    CacheOptions IOptions<CacheOptions>.Value => this;

    /// <summary>Checks every setting and throws <see cref="RedisFlowConfigurationException"/> naming the first bad one.</summary>
    public void Validate()
    {
        Range(Ttl, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7), "Ttl");
        Range(PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), "PollInterval");
        Range(ClaimTtl, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), "ClaimTtl");
        if (ParallelFetches is < 1 or > 256)
        {
            Fail("ParallelFetches", ParallelFetches.ToString(CultureInfo.InvariantCulture), "it must be from 1 to 256.");
        }

        // Redis strings hold at most 512 MB.
        if (MaxFileSize is < 1 or > 512L * 1024 * 1024)
        {
            Fail("MaxFileSize", MaxFileSize.ToString(CultureInfo.InvariantCulture), "it must be from 1 byte to 536870912 (512 MiB, the largest Redis string).");
        }

        if (double.IsNaN(MemoryGuardFraction) || MemoryGuardFraction is <= 0 or > 1)
        {
            Fail("MemoryGuardFraction", MemoryGuardFraction.ToString(CultureInfo.InvariantCulture), "it must be more than 0 and at most 1 (1 disables the guard).");
        }

        if (ChunkSize is < 4096 or > 64 * 1024 * 1024)
        {
            Fail("ChunkSize", ChunkSize.ToString(CultureInfo.InvariantCulture), "it must be from 4096 to 67108864 bytes.");
        }

        if (ChunksInFlight is < 1 or > 1024)
        {
            Fail("ChunksInFlight", ChunksInFlight.ToString(CultureInfo.InvariantCulture), "it must be from 1 to 1024.");
        }
    }

    private static void Range(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            Fail(name, value.ToString("c", CultureInfo.InvariantCulture), $"it must be from {min.ToString("c", CultureInfo.InvariantCulture)} to {max.ToString("c", CultureInfo.InvariantCulture)}.");
        }
    }

    private static void Fail(string name, string value, string rule) =>
        throw new RedisFlowConfigurationException($"{SectionName}:{name}", $"is {value}; {rule}");
}
