namespace RedisFlow.Locking;

/// <summary>
/// One in-process waiter for a lock key, in the FIFO of its <see cref="LockWaitQueue"/>. Only the head waiter
/// registers and contends in Redis; the others wait for their turn, so a release costs one retry, by the waiter it
/// was promised to, not one per waiter or per process.
/// </summary>
internal sealed class LockWaiter
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _signal = NewSignal();

    public LockWaiter(LockWaitQueue queue, string? token)
    {
        Queue = queue;
        Token = token;
    }

    public LockWaitQueue Queue { get; }

    /// <summary>The lock's owner token: the name it registers under in Redis and the one a release message names (null: woken by any release).</summary>
    public string? Token { get; }

    public bool IsHead => Queue.IsHead(this);

    /// <summary>
    /// Starts a new wait round: signals that arrived before this call are dropped, because the attempt that follows
    /// already sees the release they announced. Returns the task that completes on the next signal.
    /// </summary>
    public Task Arm()
    {
        lock (_gate)
        {
            if (_signal.Task.IsCompleted)
            {
                _signal = NewSignal();
            }

            return _signal.Task;
        }
    }

    /// <summary>Wakes the waiter: a release was announced, or it became the head.</summary>
    public void Signal()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            signal = _signal;
        }

        signal.TrySetResult();
    }

    /// <summary>Leaves the queue, handing the head position to the next waiter.</summary>
    public void Leave() => Queue.Leave(this);

    // Continuations run on the pool, never inline in the subscriber's callback or in a releaser's call.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
