using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RedisFlow.Tests.Topologies;

/// <summary>
/// Writers that SET numbered keys through one <see cref="RedisDb"/> without pause, recording which writes were
/// acknowledged, when calls failed and how long the slowest call took, to measure a failover.
/// </summary>
public sealed class WriteLoad(RedisDb db, string prefix, int writers = 4)
{
    private readonly ConcurrentBag<string> _acknowledged = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private TimeSpan? _firstFailure;
    private TimeSpan? _lastFailureEnd;
    private TimeSpan _slowest;
    private long _successes;
    private long _failures;
    private long _successesSinceFailure;

    public int Acknowledged => _acknowledged.Count;

    public long Failures => Interlocked.Read(ref _failures);

    public long SuccessesSinceLastFailure => Interlocked.Read(ref _successesSinceFailure);

    public TimeSpan Slowest { get { lock (_gate) { return _slowest; } } }

    /// <summary>From the start of the first failed call to the end of the last one; zero when none failed.</summary>
    public TimeSpan OutageWindow { get { lock (_gate) { return _firstFailure is null ? TimeSpan.Zero : _lastFailureEnd!.Value - _firstFailure.Value; } } }

    /// <summary>Runs the writers until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriterAsync(w, stop), CancellationToken.None)));

    /// <summary>
    /// Acknowledged keys that no longer exist (asynchronous replication lost them), asked one key at a time so a
    /// failed read is retried rather than counted as a loss.
    /// </summary>
    public async Task<int> CountLostAsync(CancellationToken ct)
    {
        var lost = 0;
        foreach (var key in _acknowledged.ToArray())
        {
            bool? exists = null;
            for (var attempt = 0; attempt < 5 && exists is null; attempt++)
            {
                exists = await db.ExistAsync(key, ct);
            }

            if (exists is null)
            {
                throw new InvalidOperationException($"Could not read {key} back after the failover.");
            }

            if (exists == false)
            {
                lost++;
            }
        }

        return lost;
    }

    private async Task WriterAsync(int writer, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested && i < 1_000_000; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{prefix}:{writer}:{i}");
            var started = _clock.Elapsed;
            var ok = await db.SetAsync(key, key, 600, CancellationToken.None);
            var ended = _clock.Elapsed;
            lock (_gate)
            {
                if (ended - started > _slowest)
                {
                    _slowest = ended - started;
                }

                if (!ok)
                {
                    _firstFailure ??= started;
                    _lastFailureEnd = ended;
                }
            }

            if (ok)
            {
                _acknowledged.Add(key);
                Interlocked.Increment(ref _successes);
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
