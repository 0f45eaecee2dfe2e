using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisFlow.Locking;

/// <summary>
/// Watches one acquisition of a lock: renews its lease on a cadence (or, without renewal, checks that the key still
/// holds our token) and cancels <see cref="LostToken"/> when the lock is known to be gone: the key no longer holds
/// our token, or no renewal succeeded before the last confirmed lease ran out. A failed renewal call is "unknown",
/// not "lost": it is retried while the lease lasts.
/// </summary>
/// <remarks>
/// The lock object is held only weakly, so a lock that its owner dropped without releasing stops being renewed and
/// its lease expires, instead of being kept alive forever by this loop.
/// </remarks>
#pragma warning disable CA1001 // The lost token outlives the loop (holders keep it); token sources without timers own nothing to free.
internal sealed class LeaseMonitor
#pragma warning restore CA1001
{
    private readonly RedisDb _db;
    private readonly LockKeys _keys;
    private readonly RedisValue[] _args;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _interval;
    private readonly bool _extend;
    private readonly long _fencingToken;
    private readonly WeakReference<RedisDistributedLock> _owner;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private long _confirmedUntil;

    private LeaseMonitor(RedisDb db, LockKeys keys, string token, TimeSpan lease, TimeSpan interval, bool extend,
        long fencingToken, long acquireSentAt, RedisDistributedLock owner, ILogger logger)
    {
        _db = db;
        _keys = keys;
        _lease = lease;
        _interval = interval;
        _extend = extend;
        _fencingToken = fencingToken;
        _owner = new WeakReference<RedisDistributedLock>(owner);
        _logger = logger;
        _args = [token, extend ? ((long)lease.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "0"];
        _confirmedUntil = acquireSentAt + (long)(lease.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Cancelled when the lock is known lost; never cancelled by a normal release.</summary>
    public CancellationToken LostToken => _lost.Token;

    /// <summary>
    /// Starts watching an acquisition whose script was sent at <paramref name="acquireSentAt"/>
    /// (<see cref="Stopwatch.GetTimestamp"/>): the server set the lease after that, so it lasts at least until then + lease.
    /// </summary>
    public static LeaseMonitor Start(RedisDb db, LockKeys keys, string token, TimeSpan lease, TimeSpan interval, bool extend,
        long fencingToken, long acquireSentAt, RedisDistributedLock owner, ILogger logger)
    {
        var monitor = new LeaseMonitor(db, keys, token, lease, interval, extend, fencingToken, acquireSentAt, owner, logger);
        _ = Task.Run(monitor.RunAsync);
        return monitor;
    }

    /// <summary>Stops watching (release, dispose, re-acquire). Does not cancel <see cref="LostToken"/>.</summary>
    public void Stop() => _stop.Cancel();

    private TimeSpan Remaining => Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _confirmedUntil)) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    private async Task RunAsync()
    {
        var delay = _interval;
        while (true)
        {
            try
            {
                await Task.Delay(Min(delay, _extend ? delay : Remaining), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!_owner.TryGetTarget(out _))
            {
                LockLog.Abandoned(_logger, _keys.LockKey);
                return;
            }

            var remaining = Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                DeclareLost(_extend ? "no renewal succeeded before the lease ran out" : "the lease ran out (renewal is off)");
                return;
            }

            var sentAt = Stopwatch.GetTimestamp();
            long result;
            using (var bound = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                bound.CancelAfter(remaining);
                try
                {
                    result = await _db.ExecuteAsync("RedisDistributedLock.Renew", _keys.LockKey, this,
                        static async (db, m) => (long)await LockScripts.Extend.EvaluateAsync(db, m._keys.Keys, m._args).ConfigureAwait(false),
                        -1L, idempotent: true, bound.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (OperationCanceledException)
                {
                    result = -1; // bounded by the lease: the next turn of the loop declares it lost
                }
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            switch (result)
            {
                case 1:
                    if (_extend)
                    {
                        Volatile.Write(ref _confirmedUntil, sentAt + (long)(_lease.TotalSeconds * Stopwatch.Frequency));
                    }

                    delay = _interval;
                    break;
                case 0:
                    DeclareLost("the key no longer holds this lock's value (deleted, expired or taken by another)");
                    return;
                default:
                    LockLog.RenewalFailed(_logger, _keys.LockKey, (long)Remaining.TotalMilliseconds);
                    // Try again soon, several times within what is left of the lease.
                    delay = Min(_interval, Max(Remaining / 4, TimeSpan.FromMilliseconds(10)));
                    break;
            }
        }
    }

    private void DeclareLost(string reason)
    {
        LockLog.Lost(_logger, _keys.LockKey, _fencingToken, reason);
        try
        {
            _lost.Cancel();
        }
#pragma warning disable CA1031 // A failing user callback is logged, never thrown into the monitor.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LockLog.LostHandlerFailed(_logger, _keys.LockKey, ex);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
