namespace RedisFlow.Benchmarks.Harness;

/// <summary>How much each scenario does: the full run, or tiny sizes for the smoke run (<c>--quick</c>).</summary>
public sealed record BenchSizes
{
    public static BenchSizes Full { get; } = new();

    public static BenchSizes Quick { get; } = new()
    {
        Warmups = 0,
        Repetitions = 2,
        SlowRepetitions = 1,
        KvOpsOneClient = 300,
        KvOpsInFlight = 2_000,
        RedisBenchmarkRequests = 5_000,
        RedisBenchmarkPipelinedRequests = 20_000,
        ProduceOpsOneClient = 300,
        ProduceOpsInFlight = 2_000,
        BullMqAddOneAtATime = 300,
        BullMqAddBulk = 2_000,
        ConsumeEntries = 1_000,
        LatencySeconds = 1,
        IdleSeconds = 1,
        IdleSettle = TimeSpan.FromMilliseconds(300),
        LockCycles = 200,
        LockCyclesInFlight = 800,
        HandOvers = 10,
        HandOverLimit = TimeSpan.FromSeconds(3),
        SmallFiles = 10,
        LargeFiles = 2,
        LargeFileBytes = 1024 * 1024,
        SeedCalls = 200,
        SeedWarmupCalls = 50,
        SeedRounds = 1,
    };

    /// <summary>Untimed runs of every case before the measured ones.</summary>
    public int Warmups { get; init; } = 1;

    /// <summary>Measured runs of every fast case.</summary>
    public int Repetitions { get; init; } = 5;

    /// <summary>Measured runs of cases that take seconds each (consume, peers started as processes, cache warm).</summary>
    public int SlowRepetitions { get; init; } = 3;

    /// <summary>Concurrency of the "in flight" kv and lock cases (issue 6: 16–64).</summary>
    public int InFlight { get; init; } = 32;

    public int KvOpsOneClient { get; init; } = 5_000;

    public int KvOpsInFlight { get; init; } = 50_000;

    public int RedisBenchmarkRequests { get; init; } = 100_000;

    public int RedisBenchmarkPipelinedRequests { get; init; } = 500_000;

    public int ProduceOpsOneClient { get; init; } = 5_000;

    public int ProduceOpsInFlight { get; init; } = 50_000;

    public int BullMqAddOneAtATime { get; init; } = 5_000;

    public int BullMqAddBulk { get; init; } = 20_000;

    /// <summary>Entries each consume run drains (issue 6: 20,000).</summary>
    public int ConsumeEntries { get; init; } = 20_000;

    /// <summary>Messages per second of the latency run (issue 6: 200).</summary>
    public int LatencyRate { get; init; } = 200;

    /// <summary>Length of each latency run.</summary>
    public int LatencySeconds { get; init; } = 4;

    /// <summary>Pause after an idle consumer started before its command rate is measured.</summary>
    public TimeSpan IdleSettle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Window the idle command rate is measured over.</summary>
    public int IdleSeconds { get; init; } = 10;

    public int LockCycles { get; init; } = 2_000;

    public int LockCyclesInFlight { get; init; } = 10_000;

    /// <summary>Hand-overs measured per lock implementation with 4 waiters, bounded by <see cref="HandOverLimit"/>.</summary>
    public int HandOvers { get; init; } = 200;

    public TimeSpan HandOverLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>256 KiB files of the cache-warm run (issue 6: 200).</summary>
    public int SmallFiles { get; init; } = 200;

    public int SmallFileBytes { get; init; } = 256 * 1024;

    /// <summary>Large files of the cache-warm run (issue 6: 20 × 8 MiB).</summary>
    public int LargeFiles { get; init; } = 20;

    public int LargeFileBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Calls per measured run of each one-at-a-time Python-peer case (produce, consume+ack, lock cycle, Get, Set).</summary>
    public int SeedCalls { get; init; } = 5_000;

    /// <summary>Untimed calls of each Python-peer case on every side before the first round (issue 14: 1,000).</summary>
    public int SeedWarmupCalls { get; init; } = 1_000;

    /// <summary>Alternated rounds of the Python-peer cases (issue 14: 3).</summary>
    public int SeedRounds { get; init; } = 3;
}
