namespace RedisFlow.Queues;

/// <summary>The queue list's checks, and the settings of RAGFlow's executor fleet (<c>TASKEXE</c> and heartbeats).</summary>
public sealed partial class QueueWorkerOptions
{
    /// <summary>
    /// How old an executor's last heartbeat may be for it to count as alive (RAGFlow's
    /// <c>WORKER_HEARTBEAT_TIMEOUT</c>, 120 s). A worker never claims an entry pending at a consumer listed in
    /// <c>TASKEXE</c> whose heartbeat is newer than this, however long the entry has been idle: a RAGFlow executor
    /// does not keep its long tasks' entries alive, its heartbeat says it is still working on them. Zero to claim by
    /// idle time alone. Default 120 s.
    /// </summary>
    public TimeSpan ExecutorHeartbeatTimeout { get; set; } = ExecutorFleet.DefaultHeartbeatTimeout;

    /// <summary>
    /// Whether this worker registers as a RAGFlow task executor: it adds its consumer name to <c>TASKEXE</c>, writes
    /// RAGFlow's heartbeat every <see cref="HeartbeatInterval"/> (so RAGFlow's status page lists it and other workers
    /// leave its entries alone), and removes executors silent for longer than <see cref="ExecutorHeartbeatTimeout"/>
    /// under RAGFlow's <c>clean_task_executor</c> lock. Default false.
    /// </summary>
    public bool RegisterAsRagflowExecutor { get; set; }

    /// <summary>How often a registered worker writes its heartbeat (RAGFlow: 30 s). Default 30 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    private void ValidateQueues()
    {
        var hasOne = !string.IsNullOrEmpty(QueueName);
        var hasList = QueueNames.Count > 0;
        Require(hasOne || hasList, nameof(QueueName), "and QueueWorker:QueueNames are both empty; name the queue to consume, or the queues in priority order (highest first).");
        Require(!(hasOne && hasList), nameof(QueueNames), $"is set together with QueueWorker:QueueName ({QueueName}); set one of them: QueueNames lists every queue, highest priority first.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < QueueNames.Count; i++)
        {
            Require(!string.IsNullOrEmpty(QueueNames[i]), nameof(QueueNames), $"has an empty name at position {i}.");
            Require(seen.Add(QueueNames[i]), nameof(QueueNames), $"lists {QueueNames[i]} twice.");
        }

        foreach (var queue in Queues)
        {
            _ = QueueKeys.DeadLetter(queue);
        }
    }

    private void ValidateFleet()
    {
        Require(ExecutorHeartbeatTimeout >= TimeSpan.Zero, nameof(ExecutorHeartbeatTimeout), "is negative; use zero to claim by idle time alone.");
        Require(!RegisterAsRagflowExecutor || ExecutorHeartbeatTimeout > TimeSpan.Zero, nameof(ExecutorHeartbeatTimeout),
            "is zero, but RegisterAsRagflowExecutor is on: a registered executor removes executors silent for longer than this, so it must be positive.");
        Require(HeartbeatInterval >= TimeSpan.FromMilliseconds(10), nameof(HeartbeatInterval), $"is {HeartbeatInterval}; it must be at least 10 ms.");
        Require(!RegisterAsRagflowExecutor || HeartbeatInterval < ExecutorHeartbeatTimeout, nameof(HeartbeatInterval),
            $"is {HeartbeatInterval}, not shorter than ExecutorHeartbeatTimeout ({ExecutorHeartbeatTimeout}): other executors would take this one for dead between two heartbeats.");
    }
}
