using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RedisFlow.Diagnostics;

namespace RedisFlow.Queues;

/// <summary>
/// A hosted worker that consumes one queue, or several in priority order, with up to
/// <see cref="QueueWorkerOptions.Concurrency"/> handlers at once: it recovers its own unacknowledged entries at start-up, reads new ones with a blocking XREADGROUP (no
/// polling), claims entries stalled at dead consumers, keeps its own long-running entries from looking stalled,
/// dead-letters poison entries, trims acknowledged entries, and acknowledges in coalesced batches. With several
/// queues it always reads the highest one that has entries, and never takes more entries than it has free handlers
/// (unless <see cref="QueueWorkerOptions.ReadAhead"/> is set, and then only from that highest queue).
/// </summary>
/// <remarks>
/// Delivery is at least once: an entry is acknowledged only after its handler returns. On shutdown the worker
/// stops reading, lets running handlers finish and acknowledges them; an entry it could not finish stays pending
/// under its consumer name, to be recovered at the next start or claimed by another worker.
/// </remarks>
public sealed partial class QueueWorker : BackgroundService
{
    private readonly StreamQueue _queue;
    private readonly QueueWorkerOptions _options;
    private readonly QueueMessageHandler _handler;
    private readonly ILogger _logger;

    // One credit per entry this worker may hold (read and not yet handled): Concurrency, plus ReadAhead when set.
    private readonly WorkerCredits _credits;

    // The queues, highest priority first. Each holds its in-flight set and the entries waiting for a handler loop
    // (without read-ahead an entry waits there only while a loop is free, so it is picked up at once); a free loop
    // takes from the highest queue first.
    private readonly WorkerLane[] _lanes;
    private readonly string _queueList;

    // Idle handler loops wait here; see HandlerLoopAsync for why one release wakes one loop.
    private readonly SemaphoreSlim _wake = new(0);
    private int _idleLoops;
    private volatile bool _draining;
    private readonly CancellationTokenSource _abort = new();
    private readonly ExecutorFleet _fleet;
    private long _handled;
    private long _failed;

    /// <summary>Creates a worker that runs <paramref name="handler"/> for each entry.</summary>
    /// <exception cref="RedisFlowConfigurationException">A setting of <paramref name="options"/> is invalid.</exception>
    public QueueWorker(RedisDb db, QueueWorkerOptions options, QueueMessageHandler handler, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _queue = db.Queue;
        _options = options;
        _handler = handler;
        _logger = (loggerFactory ?? db.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<QueueWorker>();
        _credits = new WorkerCredits(options.Capacity);
        _fleet = new ExecutorFleet(db);
        var queues = options.Queues;
        _queueList = string.Join(",", queues);
        _lanes = new WorkerLane[queues.Count];
        for (var i = 0; i < _lanes.Length; i++)
        {
            var queue = queues[i];
            // Every message read from this queue acknowledges through its own batcher.
            _lanes[i] = new WorkerLane(i, lane => new StreamConsumer(queue, options.GroupName, options.ConsumerName,
                new AckBatcher(_queue, queue, options.GroupName, _logger, (id, ok) => OnAcked(lane, id, ok)),
                options.DeadLetterMaxLength, options.DeleteDeadLettered));
        }
    }

    /// <summary>Creates a worker that runs <paramref name="handler"/> for each entry.</summary>
    public QueueWorker(RedisDb db, QueueWorkerOptions options, IQueueMessageHandler handler, ILoggerFactory? loggerFactory = null)
        : this(db, options, (handler ?? throw new ArgumentNullException(nameof(handler))).HandleAsync, loggerFactory)
    {
    }

    /// <summary>The settings this worker runs with.</summary>
    public QueueWorkerOptions Options => _options;

    /// <summary>Entries handled and acknowledged since start.</summary>
    public long HandledCount => Interlocked.Read(ref _handled);

    /// <summary>Entries this worker holds now: being handled, read ahead (<see cref="QueueWorkerOptions.ReadAhead"/>), or awaiting their ack.</summary>
    public int InFlightCount => _lanes.Sum(static l => l.InFlight.Count);

    /// <summary>Stops reading, waits for running handlers to finish and acknowledge; <paramref name="cancellationToken"/> cancels the handlers' token.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var abort = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _abort.Dispose();
        _wake.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting; everything below runs in the background.
        await Task.Yield();
        QueueLog.WorkerStarted(_logger, _queueList, _options.GroupName, _options.ConsumerName, _options.Concurrency);
        var ackLoops = _lanes.Select(static l => l.Acks.RunAsync()).ToArray();
        var handlers = new Task[_options.Concurrency];
        for (var i = 0; i < handlers.Length; i++)
        {
            handlers[i] = Task.Run(HandlerLoopAsync, CancellationToken.None);
        }

        using var maintenance = new CancellationTokenSource();
        var keepAlive = KeepAliveLoopAsync(maintenance.Token);
        var trim = TrimLoopAsync(maintenance.Token);
        var gauges = QueueGauges.RunAsync(_queue, _options.QueueName, _options.GroupName, maintenance.Token);
        var heartbeat = _options.RegisterAsRagflowExecutor
            ? new ExecutorHeartbeat(_fleet, _options, () => new ExecutorCounters(HandledCount, Interlocked.Read(ref _failed), CurrentMessages()), _logger)
            : null;
        var beating = heartbeat?.RunAsync(maintenance.Token) ?? Task.CompletedTask;
        var readers = new List<BlockingStreamReader>();
        try
        {
            readers.Add(await _queue.RentReaderAsync(stoppingToken).ConfigureAwait(false));
            var readGroups = ReadGroups();
            while (readers.Count < readGroups.Length)
            {
                readers.Add(await _queue.RentReaderAsync(stoppingToken).ConfigureAwait(false));
            }

            foreach (var reader in readers)
            {
                // What follows a read here only dispatches its entries to the handler loops and reads again.
                reader.InlineCompletions = true;
            }

            if (_options.RecoverOnStart)
            {
                await RecoverAsync(stoppingToken).ConfigureAwait(false);
            }

            await FetchLoopAsync(readGroups, [.. readers], stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fall through to the drain.
        }
        finally
        {
            QueueLog.WorkerStopping(_logger, _queueList, _options.GroupName, _options.ConsumerName, InFlightCount);
            // Handlers start only from the fetch loop, which has ended: the loops finish what was read, then end.
            _draining = true;
            _wake.Release(handlers.Length);
            // Each step runs even when one before it failed: a stopped worker always leaves the fleet and gives back
            // its blocking connections, and the failure is logged rather than lost in a task nobody observes.
            await StopStepAsync("handlers", Task.WhenAll(handlers)).ConfigureAwait(false);
            foreach (var lane in _lanes)
            {
                lane.Acks.Complete();
            }

            await StopStepAsync("acknowledgements", Task.WhenAll(ackLoops)).ConfigureAwait(false);
            await StopStepAsync("maintenance", CancelAndWaitAsync(maintenance, keepAlive, trim, beating, gauges)).ConfigureAwait(false);
            if (heartbeat is not null)
            {
                await StopStepAsync("leaving the executor fleet", heartbeat.LeaveAsync()).ConfigureAwait(false);
            }

            foreach (var reader in readers)
            {
                await StopStepAsync("returning a blocking connection", _queue.ReturnReaderAsync(reader).AsTask()).ConfigureAwait(false);
            }

            QueueLog.WorkerStopped(_logger, _queueList, _options.GroupName, _options.ConsumerName, HandledCount);
        }
    }

    private static async Task CancelAndWaitAsync(CancellationTokenSource maintenance, params Task[] loops)
    {
        await maintenance.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task StopStepAsync(string step, Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed step must not skip the ones after it; it is logged as an error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            QueueLog.StopStepFailed(_logger, _queueList, step, ex);
        }
    }

    /// <summary>Hands entries of <paramref name="lane"/> (their credits already taken) to the handler loops.</summary>
    private void Start(WorkerLane lane, List<RedisMsg> messages)
    {
        foreach (var message in messages)
        {
            lane.InFlight[message.Id] = message;
            lane.Work.Enqueue(message);
        }

        if (messages.Count > 0 && Volatile.Read(ref _idleLoops) > 0)
        {
            _wake.Release();
        }
    }
}
