using System.Collections.Concurrent;
using System.Diagnostics;

namespace RedisFlow.Tests.Topologies;

/// <summary>
/// Producers that add numbered entries to one queue through one <see cref="RedisDb"/> without pause, recording each
/// entry whose XADD was acknowledged (its number and stream id), when calls failed and the slowest call, to measure
/// a failover as <see cref="WriteLoad"/> does for KV writes.
/// </summary>
public sealed class QueueProduceLoad(RedisDb db, string queue, int producers = 2)
{
    private readonly ConcurrentDictionary<int, string> _acknowledged = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private TimeSpan? _firstFailure;
    private TimeSpan? _lastFailureEnd;
    private TimeSpan _slowest;
    private long _failures;
    private long _successesSinceFailure;
    private int _next = -1;
    private int _lastFailedNumber = -1;

    /// <summary>Entry number to stream id of every acknowledged XADD.</summary>
    public IReadOnlyDictionary<int, string> Acknowledged => _acknowledged;

    public long Failures => Interlocked.Read(ref _failures);

    public long SuccessesSinceLastFailure => Interlocked.Read(ref _successesSinceFailure);

    /// <summary>The highest entry number whose XADD failed (-1 when none did): every later number was produced after it.</summary>
    public int LastFailedNumber => Volatile.Read(ref _lastFailedNumber);

    public TimeSpan Slowest { get { lock (_gate) { return _slowest; } } }

    /// <summary>From the start of the first failed call to the end of the last one; zero when none failed.</summary>
    public TimeSpan OutageWindow { get { lock (_gate) { return _firstFailure is null ? TimeSpan.Zero : _lastFailureEnd!.Value - _firstFailure.Value; } } }

    /// <summary>Runs the producers until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(() => ProducerAsync(stop), CancellationToken.None)));

    private async Task ProducerAsync(CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested && i < 1_000_000; i++)
        {
            var n = Interlocked.Increment(ref _next);
            var started = _clock.Elapsed;
            var id = await db.QueueProductWithIdAsync(queue, new { n }, CancellationToken.None);
            var ended = _clock.Elapsed;
            lock (_gate)
            {
                if (ended - started > _slowest)
                {
                    _slowest = ended - started;
                }

                if (id is null)
                {
                    _firstFailure ??= started;
                    _lastFailureEnd = ended;
                    if (n > _lastFailedNumber)
                    {
                        Volatile.Write(ref _lastFailedNumber, n);
                    }
                }
            }

            if (id is not null)
            {
                _acknowledged[n] = id;
                Interlocked.Increment(ref _successesSinceFailure);
            }
            else
            {
                Interlocked.Increment(ref _failures);
                Interlocked.Exchange(ref _successesSinceFailure, 0);
            }
        }
    }
}
