namespace RedisFlow.Queues;

/// <summary>
/// The entries a <see cref="QueueWorker"/> may still take: one credit per free handler (plus the read-ahead). A read
/// takes credits before it is sent and asks for no more entries than it took; a handler returns its credit when it
/// is done. Unlike a semaphore, the fetch loop can wait for <em>several</em> credits, so while a read is already in
/// flight the next one waits for a worthwhile batch instead of going out for a single entry.
/// </summary>
internal sealed class WorkerCredits
{
    private readonly Lock _gate = new();
    private int _free;
    private int _wanted;
    private TaskCompletionSource? _waiter;

    public WorkerCredits(int capacity)
    {
        Capacity = capacity;
        _free = capacity;
    }

    /// <summary>Credits in all.</summary>
    public int Capacity { get; }

    /// <summary>Credits free now.</summary>
    public int Free
    {
        get
        {
            lock (_gate)
            {
                return _free;
            }
        }
    }

    /// <summary>Takes up to <paramref name="max"/> free credits; 0 when none is free.</summary>
    public int TryTake(int max)
    {
        lock (_gate)
        {
            var taken = Math.Min(_free, max);
            _free -= taken;
            return taken;
        }
    }

    /// <summary>Waits until at least one credit is free, then takes up to <paramref name="max"/>.</summary>
    public async Task<int> TakeAsync(int max, CancellationToken ct)
    {
        while (true)
        {
            var taken = TryTake(max);
            if (taken > 0)
            {
                return taken;
            }

            await WhenAtLeast(1).WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Completes once at least <paramref name="count"/> credits are free (at once if they are). One waiter at a time:
    /// a new call replaces the previous one, which then completes too (its caller re-checks).
    /// </summary>
    public Task WhenAtLeast(int count)
    {
        TaskCompletionSource? replaced;
        Task result;
        lock (_gate)
        {
            if (_free >= count)
            {
                return Task.CompletedTask;
            }

            replaced = _waiter;
            _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _wanted = count;
            result = _waiter.Task;
        }

        replaced?.TrySetResult();
        return result;
    }

    /// <summary>Takes <paramref name="count"/> credits whether free or not (the free count may go below zero): entries delivered beyond a read's credits.</summary>
    public void Borrow(int count)
    {
        lock (_gate)
        {
            _free -= count;
        }
    }

    /// <summary>Gives credits back.</summary>
    public void Return(int count)
    {
        if (count <= 0)
        {
            return;
        }

        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            _free += count;
            if (_waiter is not null && _free >= _wanted)
            {
                wake = _waiter;
                _waiter = null;
            }
        }

        wake?.TrySetResult();
    }
}
