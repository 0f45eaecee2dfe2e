using System.Globalization;

namespace RedisFlow.Chaos.Tests;

/// <summary>Which Redis the chaos run targets.</summary>
public enum ChaosMode
{
    /// <summary>
    /// The default: <c>appendonly yes</c>, <c>appendfsync always</c>, <c>maxmemory</c> under <c>noeviction</c>.
    /// Everything acknowledged is on disk before the reply, so "0 lost" is a claim the run can check and assert.
    /// </summary>
    Durable,

    /// <summary>
    /// Redis as RAGFlow's docker deployment runs it: <c>--maxmemory 128mb --maxmemory-policy volatile-lru</c>. Keys
    /// with a TTL (locks, cached files) may be evicted; the run reports what that did and asserts no loss claim.
    /// </summary>
    Ragflow,
}

/// <summary>
/// The run's settings from the environment: <c>REDISFLOW_CHAOS_SEED</c> (random when unset, always printed, so any
/// run can be replayed), <c>REDISFLOW_CHAOS_SECONDS</c> (the fault window, default 120 for CI) and
/// <c>REDISFLOW_CHAOS_MODE</c> (<c>durable</c>, the default, or <c>ragflow</c>).
/// </summary>
public sealed record ChaosSettings(int Seed, TimeSpan Duration, ChaosMode Mode)
{
    /// <summary>The fault window CI runs.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(120);

    /// <summary>How long the run waits, after the fault window, for every acknowledged entry and file to be handled.</summary>
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// When the working sets are first measured: after the first minute, or after the first quarter of a shorter run
    /// (30 s of CI's 120 s), so start-up (JIT, pools, connections) is behind and growth after it is what is bounded.
    /// </summary>
    public TimeSpan BaselineAt => Duration >= TimeSpan.FromSeconds(240) ? TimeSpan.FromMinutes(1) : Duration / 4;

    /// <summary>Reads the settings; a malformed variable throws, naming it.</summary>
    public static ChaosSettings FromEnvironment()
    {
        var seedText = Environment.GetEnvironmentVariable("REDISFLOW_CHAOS_SEED");
        var seed = string.IsNullOrWhiteSpace(seedText) ? Random.Shared.Next(1, 1_000_000) : Parse("REDISFLOW_CHAOS_SEED", seedText);
        var secondsText = Environment.GetEnvironmentVariable("REDISFLOW_CHAOS_SECONDS");
        var seconds = string.IsNullOrWhiteSpace(secondsText) ? (int)DefaultDuration.TotalSeconds : Parse("REDISFLOW_CHAOS_SECONDS", secondsText);
        if (seconds < 10)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "REDISFLOW_CHAOS_SECONDS must be at least 10.");
        }

        var mode = (Environment.GetEnvironmentVariable("REDISFLOW_CHAOS_MODE") ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "" or "durable" => ChaosMode.Durable,
            "ragflow" => ChaosMode.Ragflow,
            var other => throw new ArgumentException($"REDISFLOW_CHAOS_MODE must be durable or ragflow, not '{other}'."),
        };
        return new ChaosSettings(seed, TimeSpan.FromSeconds(seconds), mode);
    }

    private static int Parse(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} must be an integer, not '{text}'.");
}
