using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RedisFlow.Diagnostics;

namespace RedisFlow.Queues;

/// <summary>
/// A hosted worker that consumes one queue with up to <see cref="QueueWorkerOptions.Concurrency"/> handlers at
/// once: it recovers its own unacknowledged entries at start-up, reads new ones with a blocking XREADGROUP (no
/// polling), claims entries stalled at dead consumers, keeps its own long-running entries from looking stalled,
/// dead-letters poison entries, trims acknowledged entries, and acknowledges in coalesced batches.
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
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    // Entries read and waiting for one of the handler loops. Without read-ahead an entry is queued here only while a
    // loop is free (credits never exceed the handlers), so it is picked up at once.
    private readonly ConcurrentQueue<RedisMsg> _work = new();

    // Idle handler loops wait here; see HandlerLoopAsync for why one release wakes one loop.
    private readonly SemaphoreSlim _wake = new(0);
    private int _idleLoops;
    private volatile bool _draining;
    private readonly CancellationTokenSource _abort = new();
    private readonly AckBatcher _acks;

    // Who this worker reads as; every message it reads acknowledges through _acks.
    private readonly StreamConsumer _consumer;
    private long _handled;

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
        _acks = new AckBatcher(_queue, options.QueueName, options.GroupName, _logger, OnAcked);
        _consumer = new StreamConsumer(options.QueueName, options.GroupName, options.ConsumerName, _acks, options.DeadLetterMaxLength, options.DeleteDeadLettered);
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
    public int InFlightCount => _inFlight.Count;

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
        QueueLog.WorkerStarted(_logger, _options.QueueName, _options.GroupName, _options.ConsumerName, _options.Concurrency);
        var ackLoop = _acks.RunAsync();
        var handlers = new Task[_options.Concurrency];
        for (var i = 0; i < handlers.Length; i++)
        {
            handlers[i] = Task.Run(HandlerLoopAsync, CancellationToken.None);
        }

        using var maintenance = new CancellationTokenSource();
        var keepAlive = KeepAliveLoopAsync(maintenance.Token);
        var trim = TrimLoopAsync(maintenance.Token);
        var gauges = QueueGauges.RunAsync(_queue, _options.QueueName, _options.GroupName, maintenance.Token);
        BlockingStreamReader? reader = null;
        try
        {
            reader = await _queue.RentReaderAsync(stoppingToken).ConfigureAwait(false);
            if (_options.RecoverOnStart)
            {
                await RecoverAsync(stoppingToken).ConfigureAwait(false);
            }

            await FetchLoopAsync(reader, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fall through to the drain.
        }
        finally
        {
            QueueLog.WorkerStopping(_logger, _options.QueueName, _options.GroupName, _options.ConsumerName, _inFlight.Count);
            // Handlers start only from the fetch loop, which has ended: the loops finish what was read, then end.
            _draining = true;
            _wake.Release(handlers.Length);
            await Task.WhenAll(handlers).ConfigureAwait(false);
            _acks.Complete();
            await ackLoop.ConfigureAwait(false);
            await maintenance.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(keepAlive, trim, gauges).ConfigureAwait(false);
            if (reader is not null)
            {
                await _queue.ReturnReaderAsync(reader).ConfigureAwait(false);
            }

            QueueLog.WorkerStopped(_logger, _options.QueueName, _options.GroupName, _options.ConsumerName, HandledCount);
        }
    }

    /// <summary>Hands entries (their credits already taken) to the handler loops.</summary>
    private void Start(List<RedisMsg> messages)
    {
        foreach (var message in messages)
        {
            _inFlight[message.Id] = 0;
            _work.Enqueue(message);
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
            if (!_work.TryDequeue(out var message))
            {
                Interlocked.Increment(ref _idleLoops);
                // Checked again after counting ourselves idle: an entry queued in between woke nobody.
                if (!_work.TryDequeue(out message))
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

            if (!_work.IsEmpty && Volatile.Read(ref _idleLoops) > 0)
            {
                _wake.Release();
            }

            await RunHandlerAsync(message).ConfigureAwait(false);
        }
    }

    private async Task RunHandlerAsync(RedisMsg message)
    {
        if (_abort.IsCancellationRequested)
        {
            Finish(message.Id); // shutdown ran out of time before it started: it stays pending
            return;
        }

        using var telemetry = HandleTelemetry.Start(message);
        try
        {
            await _handler(message, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            telemetry?.Cancelled();
            Finish(message.Id); // shutdown ran out of time: the entry stays pending for the next start or another worker
            return;
        }
#pragma warning disable CA1031 // A failing handler must never stop the worker; the entry stays pending and is retried.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            telemetry?.Failed(ex);
            QueueMetrics.RecordFailed(_options.QueueName);
            QueueLog.HandlerFailed(_logger, _options.QueueName, _options.GroupName, message.Id, message.DeliveryCount, _options.ClaimIdleTime, ex);
            Finish(message.Id);
            return;
        }

        // The handler is done: the ack is queued (the entry stays in the in-flight set until acknowledged, so a claim
        // never hands it out twice) and the credit goes back before the ack's round trip, so the next read overlaps it.
        _acks.Enqueue(message.Id);
        _credits.Return(1);
    }

    /// <summary>An entry left without an ack: its credit goes back and it leaves the in-flight set.</summary>
    private void Finish(string id)
    {
        _inFlight.TryRemove(id, out _);
        _credits.Return(1);
    }

    /// <summary>The outcome of a queued ack.</summary>
    private void OnAcked(string id, bool ok)
    {
        _inFlight.TryRemove(id, out _);
        if (ok)
        {
            Interlocked.Increment(ref _handled);
            QueueMetrics.RecordHandled(_options.QueueName);
        }
    }
}
