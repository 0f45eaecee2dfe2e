namespace RedisFlow.Queues;

/// <summary>Settings of one <see cref="QueueWorker"/>: which queues it serves and how it fetches, claims and trims.</summary>
public sealed partial class QueueWorkerOptions
{
    /// <summary>
    /// The one queue (stream) to consume, for example RAGFlow's <c>te.0.common</c>: shorthand for a
    /// <see cref="QueueNames"/> of one. Set this or <see cref="QueueNames"/>, not both.
    /// </summary>
    public string QueueName { get; set; } = string.Empty;

    /// <summary>
    /// Several queues served in priority order, highest first, as RAGFlow's task executor serves
    /// <c>te.1.common</c> before <c>te.0.common</c>: the worker always reads the highest queue that has entries. Set
    /// this or <see cref="QueueName"/>, not both.
    /// </summary>
    public IList<string> QueueNames { get; } = new List<string>();

    /// <summary>The consumer group, for example RAGFlow's <c>rag_flow_svr_task_broker</c>; created at id 0 when missing.</summary>
    public string GroupName { get; set; } = string.Empty;

    /// <summary>
    /// This worker's consumer name. Keep it stable across restarts, so the worker recovers its own unacknowledged
    /// entries at start-up, and unique per process. Default: the machine name.
    /// </summary>
    public string ConsumerName { get; set; } = Environment.MachineName;

    /// <summary>Handlers running at once in this process. Default 4.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Most entries fetched by one read (XREADGROUP COUNT); a read never asks for more than there are free handlers
    /// (plus <see cref="ReadAhead"/>). Default 100.
    /// </summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>
    /// Entries a worker may read beyond its free handlers and hold in memory until a handler is free. Default 0: a
    /// worker never holds more entries than it has free handlers, so long tasks (RAGFlow's run for minutes) are not
    /// hoarded away from other workers and priority order is kept. For many short handlers, a read-ahead (for example
    /// 84 with 16 handlers: reads of 100) saves round trips; entries held ahead stay pending under this consumer and
    /// are kept alive like running ones.
    /// </summary>
    public int ReadAhead { get; set; }

    /// <summary>
    /// How long one blocking read waits for new entries; an idle worker sends about one command per this time (and
    /// one claim scan per <see cref="ClaimInterval"/>). A new entry is delivered at once whatever this is: Redis
    /// answers a blocked read the moment an entry is added. Default 20 s (at most 30 s).
    /// </summary>
    public TimeSpan BlockTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// An entry pending this long without news is taken to be stalled (its consumer died, or its handler failed)
    /// and is claimed (XAUTOCLAIM) by a live worker. A worker keeps the entries it is still handling from looking
    /// idle (every third of this time), so a long task is not run twice. Default 60 s.
    /// </summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often to look for stalled entries; null for half of <see cref="ClaimIdleTime"/>.</summary>
    public TimeSpan? ClaimInterval { get; set; }

    /// <summary>An entry delivered more times than this is moved to the dead-letter stream. Default 5.</summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>How often to trim acknowledged entries (<see cref="RedisDb.TrimQueueAsync"/>); zero to never trim. Default 1 min.</summary>
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether a dead-lettered entry is also deleted from the queue (XDEL); other groups then never see it. Default false.</summary>
    public bool DeleteDeadLettered { get; set; }

    /// <summary>Approximate cap of the dead-letter stream (XADD MAXLEN ~); 0 for none. Default 10,000.</summary>
    public long DeadLetterMaxLength { get; set; } = 10_000;

    /// <summary>Whether to handle this consumer's own unacknowledged entries first at start-up. Default true.</summary>
    public bool RecoverOnStart { get; set; } = true;

    /// <summary>The queues served, highest priority first.</summary>
    internal IReadOnlyList<string> Queues => QueueNames.Count > 0 ? [.. QueueNames] : [QueueName];

    /// <summary>Entries held at most: the handlers plus the read-ahead.</summary>
    internal int Capacity => Concurrency + ReadAhead;

    internal TimeSpan EffectiveClaimInterval => ClaimInterval ?? ClaimIdleTime / 2;

    internal TimeSpan KeepAliveInterval => ClaimIdleTime / 3;

    /// <summary>Throws <see cref="RedisFlowConfigurationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ValidateQueues();
        Require(!string.IsNullOrEmpty(GroupName), nameof(GroupName), "is empty; name the consumer group.");
        Require(!string.IsNullOrEmpty(ConsumerName), nameof(ConsumerName), "is empty; give a consumer name that is stable and unique per process.");
        Require(Concurrency is >= 1 and <= 10_000, nameof(Concurrency), $"is {Concurrency}; it must be from 1 to 10000.");
        Require(MaxBatchSize is >= 1 and <= 10_000, nameof(MaxBatchSize), $"is {MaxBatchSize}; it must be from 1 to 10000.");
        Require(ReadAhead is >= 0 and <= 10_000, nameof(ReadAhead), $"is {ReadAhead}; it must be from 0 to 10000.");
        Require(BlockTimeout >= TimeSpan.FromMilliseconds(1) && BlockTimeout <= BlockingStreamReader.MaxBlock, nameof(BlockTimeout), $"is {BlockTimeout}; it must be from 1 ms to {BlockingStreamReader.MaxBlock.TotalSeconds} s.");
        Require(ClaimIdleTime >= TimeSpan.FromMilliseconds(30), nameof(ClaimIdleTime), $"is {ClaimIdleTime}; it must be at least 30 ms.");
        Require(EffectiveClaimInterval > TimeSpan.Zero, nameof(ClaimInterval), $"is {ClaimInterval}; it must be more than zero.");
        Require(MaxDeliveries >= 1, nameof(MaxDeliveries), $"is {MaxDeliveries}; it must be at least 1.");
        Require(TrimInterval >= TimeSpan.Zero, nameof(TrimInterval), "is negative; use zero to never trim.");
        Require(DeadLetterMaxLength >= 0, nameof(DeadLetterMaxLength), "is negative; use 0 for no cap.");
        ValidateFleet();
    }

    private static void Require(bool condition, string name, string message)
    {
        if (!condition)
        {
            throw new RedisFlowConfigurationException($"QueueWorker:{name}", message);
        }
    }
}
