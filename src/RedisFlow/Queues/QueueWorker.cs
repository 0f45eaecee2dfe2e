using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
    private readonly RedisDb _db;
    private readonly QueueWorkerOptions _options;
    private readonly QueueMessageHandler _handler;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly AckBatcher _acks;
    private long _handled;

    /// <summary>Creates a worker that runs <paramref name="handler"/> for each entry.</summary>
    /// <exception cref="RedisFlowConfigurationException">A setting of <paramref name="options"/> is invalid.</exception>
    public QueueWorker(RedisDb db, QueueWorkerOptions options, QueueMessageHandler handler, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _db = db;
        _options = options;
        _handler = handler;
        _logger = (loggerFactory ?? db.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<QueueWorker>();
        _slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        _acks = new AckBatcher(db, options.QueueName, options.GroupName, _logger);
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

    /// <summary>Handlers running now.</summary>
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
        _slots.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting; everything below runs in the background.
        await Task.Yield();
        QueueLog.WorkerStarted(_logger, _options.QueueName, _options.GroupName, _options.ConsumerName, _options.Concurrency);
        var ackLoop = _acks.RunAsync();
        using var maintenance = new CancellationTokenSource();
        var keepAlive = KeepAliveLoopAsync(maintenance.Token);
        var trim = TrimLoopAsync(maintenance.Token);
        BlockingStreamReader? reader = null;
        try
        {
            reader = await _db.RentBlockingReaderAsync(stoppingToken).ConfigureAwait(false);
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
            await DrainHandlersAsync().ConfigureAwait(false);
            _acks.Complete();
            await ackLoop.ConfigureAwait(false);
            await maintenance.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(keepAlive, trim).ConfigureAwait(false);
            if (reader is not null)
            {
                await _db.ReturnBlockingReaderAsync(reader).ConfigureAwait(false);
            }

            QueueLog.WorkerStopped(_logger, _options.QueueName, _options.GroupName, _options.ConsumerName, HandledCount);
        }
    }

    private void Start(RedisMsg message)
    {
        _inFlight[message.Id] = 0;
        var task = Task.Run(() => RunHandlerAsync(message));
        _running[task] = 0;
        _ = task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _),
            _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunHandlerAsync(RedisMsg message)
    {
        var slotHeld = true;
        try
        {
            try
            {
                await _handler(message, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return; // shutdown ran out of time: the entry stays pending for the next start or another worker
            }
#pragma warning disable CA1031 // A failing handler must never stop the worker; the entry stays pending and is retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                QueueMetrics.RecordFailed(_options.QueueName);
                QueueLog.HandlerFailed(_logger, _options.QueueName, _options.GroupName, message.Id, message.DeliveryCount, _options.ClaimIdleTime, ex);
                return;
            }

            // The handler is done: its slot goes back before the ack's round trip, so the next read overlaps the
            // acks (the entry stays in the in-flight set until acknowledged, so a claim never hands it out twice).
            var ack = message.AckAsync(CancellationToken.None);
            _slots.Release();
            slotHeld = false;
            if (await ack.ConfigureAwait(false))
            {
                Interlocked.Increment(ref _handled);
                QueueMetrics.RecordHandled(_options.QueueName);
            }
        }
        finally
        {
            _inFlight.TryRemove(message.Id, out _);
            if (slotHeld)
            {
                _slots.Release();
            }
        }
    }

    private async Task DrainHandlersAsync()
    {
        // Handlers start only from the fetch loop, which has ended; each pass waits for those still running.
        for (var pass = 0; pass < 1_000 && !_running.IsEmpty; pass++)
        {
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        }
    }
}
