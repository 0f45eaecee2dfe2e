using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
            await Task.WhenAll(handlers).ConfigureAwait(false);
            foreach (var lane in _lanes)
            {
                lane.Acks.Complete();
            }

            await Task.WhenAll(ackLoops).ConfigureAwait(false);
            await maintenance.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(keepAlive, trim, beating).ConfigureAwait(false);
            if (heartbeat is not null)
            {
                await heartbeat.LeaveAsync().ConfigureAwait(false);
            }

            foreach (var reader in readers)
            {
                await _queue.ReturnReaderAsync(reader).ConfigureAwait(false);
            }

            QueueLog.WorkerStopped(_logger, _queueList, _options.GroupName, _options.ConsumerName, HandledCount);
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

    /// <summary>
    /// One of <see cref="QueueWorkerOptions.Concurrency"/> loops that run handlers.
    /// </summary>
    /// <remarks>
    /// A batch wakes one idle loop, and a loop that takes an entry while more are queued wakes the next idle one
    /// before running its handler. Long handlers therefore each get a loop of their own within a few wake-ups, while
    /// short handlers are run back to back by the loops already awake: no task, no wake-up and no thread hop per
    /// entry (waking every idle loop for every batch cost more CPU than the handlers themselves).
    /// </remarks>
    private async Task HandlerLoopAsync()
    {
        while (true)
        {
            if (!TryTakeWork(out var lane, out var message))
            {
                Interlocked.Increment(ref _idleLoops);
                // Checked again after counting ourselves idle: an entry queued in between woke nobody.
                if (!TryTakeWork(out lane, out message))
                {
                    if (_draining)
                    {
                        Interlocked.Decrement(ref _idleLoops);
                        return;
                    }

                    await _wake.WaitAsync().ConfigureAwait(false);
                    Interlocked.Decrement(ref _idleLoops);
                    continue;
                }

                Interlocked.Decrement(ref _idleLoops);
            }

            if (HasWork() && Volatile.Read(ref _idleLoops) > 0)
            {
                _wake.Release();
            }

            await RunHandlerAsync(lane, message).ConfigureAwait(false);
        }
    }

    /// <summary>The next entry waiting for a handler, from the highest queue that has one.</summary>
    private bool TryTakeWork(out WorkerLane lane, out RedisMsg message)
    {
        foreach (var candidate in _lanes)
        {
            if (candidate.Work.TryDequeue(out message!))
            {
                lane = candidate;
                return true;
            }
        }

        lane = null!;
        message = null!;
        return false;
    }

    private bool HasWork() => _lanes.Any(static l => !l.Work.IsEmpty);

    private async Task RunHandlerAsync(WorkerLane lane, RedisMsg message)
    {
        if (_abort.IsCancellationRequested)
        {
            Finish(lane, message.Id); // shutdown ran out of time before it started: it stays pending
            return;
        }

        try
        {
            await _handler(message, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            Finish(lane, message.Id); // shutdown ran out of time: the entry stays pending for the next start or another worker
            return;
        }
#pragma warning disable CA1031 // A failing handler must never stop the worker; the entry stays pending and is retried.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failed);
            QueueMetrics.RecordFailed(lane.Queue);
            QueueLog.HandlerFailed(_logger, lane.Queue, _options.GroupName, message.Id, message.DeliveryCount, _options.ClaimIdleTime, ex);
            Finish(lane, message.Id);
            return;
        }

        // The handler is done: the ack is queued (the entry stays in the in-flight set until acknowledged, so a claim
        // never hands it out twice) and the credit goes back before the ack's round trip, so the next read overlaps it.
        lane.Acks.Enqueue(message.Id);
        _credits.Return(1);
    }

    /// <summary>An entry left without an ack: its credit goes back and it leaves the in-flight set.</summary>
    private void Finish(WorkerLane lane, string id)
    {
        lane.InFlight.TryRemove(id, out _);
        _credits.Return(1);
    }

    /// <summary>The outcome of a queued ack.</summary>
    private void OnAcked(WorkerLane lane, string id, bool ok)
    {
        lane.InFlight.TryRemove(id, out _);
        if (ok)
        {
            Interlocked.Increment(ref _handled);
            QueueMetrics.RecordHandled(lane.Queue);
        }
    }

    /// <summary>The entries held now, for a registered worker's heartbeat.</summary>
    private List<RedisMsg> CurrentMessages() =>
        [.. _lanes.SelectMany(static l => l.InFlight.Values).OfType<RedisMsg>()];
}
