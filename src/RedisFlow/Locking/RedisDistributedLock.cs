using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RedisFlow.Diagnostics;
using RedisFlow.Transport;
using StackExchange.Redis;

namespace RedisFlow.Locking;

/// <summary>
/// The seed's <c>RedisDistributedLock</c>: a token lock on the key <see cref="LockKey"/>, whose value is
/// <see cref="LockValue"/>, compatible with RAGFlow's Python holders (valkey-py <c>Lock</c>: <c>SET key token NX PX</c>,
/// compare-and-delete on release), so a lock taken by either side excludes the other.
/// </summary>
/// <remarks>
/// <para>Beyond the seed: a release wakes the next waiter at once by pub/sub (bounded back-off polling as a
/// fallback); the lease can be renewed while held and <see cref="HandleLost"/> fires when the lock is known lost;
/// every acquisition issues a <see cref="FencingToken"/> that strictly increases for the key.</para>
/// <para>A lock taken by a Python holder has no fencing token: only RedisFlow's acquire script increments the
/// counter. See <c>docs/lock.md</c>.</para>
/// <para>Not thread-safe for concurrent acquires on the same instance: one instance is one holder; create one per
/// concurrent user (they may share the key).</para>
/// </remarks>
public sealed partial class RedisDistributedLock : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(4);

    /// <summary>The acquire script on a lean connection: [1 or 0, fencing token or the holder's remaining lease].</summary>
    private static readonly LeanCall<(RedisDistributedLock Lock, RedisValue[] Args), AcquireAttempt> LeanAcquire = new(
        static (w, s) => RedisDb.LeanCommands.WriteEvalSha(w, LockScripts.Acquire.Sha1Hex, s.Lock._keys.Keys, s.Args),
        static (RespReply r, out AcquireAttempt attempt) =>
        {
            attempt = AcquireAttempt.Failed;
            if (r.Items is not [{ Kind: RespKind.Integer } taken, { Kind: RespKind.Integer } value])
            {
                return false;
            }

            attempt = new AcquireAttempt(taken.Integer == 1 ? AcquireOutcome.Acquired : AcquireOutcome.Held, value.Integer);
            return true;
        });

    /// <summary>The release script on a lean connection: 1 when the key held our token and was deleted.</summary>
    private static readonly LeanCall<RedisDistributedLock, bool> LeanRelease = new(
        static (w, l) => RedisDb.LeanCommands.WriteEvalSha(w, LockScripts.Release.Sha1Hex, l._keys.Keys, l._releaseArgs),
        static (RespReply r, out bool released) =>
        {
            released = r.Integer == 1;
            return r.Kind == RespKind.Integer;
        });

    private readonly RedisDb _db;
    private readonly LockKeys _keys;
    private readonly RedisLockOptions _options;
    private readonly TimeSpan _renewalInterval;
    private readonly RedisValue[] _acquireArgs;
    private readonly RedisValue[] _queuedAcquireArgs;
    private readonly RedisValue[] _releaseArgs;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private LeaseMonitor? _monitor;
    private bool _held;
    private long _fencingToken;
    private long _acquireSentAt;
    private int _disposed;

    /// <summary>Creates a lock (seed <c>RedisDistributedLock(lock_key, lock_value=None, timeout=10, blocking_timeout=1)</c>). Nothing is sent to Redis yet.</summary>
    /// <param name="db">The connection.</param>
    /// <param name="lockKey">The Redis key of the lock, exactly as Python's <c>lock_key</c>.</param>
    /// <param name="lockValue">The owner token stored in the key; a fresh GUID when null. Give a stable value (such as a
    /// worker name) to let a restarted worker take back the lock its previous run held.</param>
    /// <param name="timeout">The lease: the key expires this long after acquisition (or the last renewal). Default 10 s.</param>
    /// <param name="blockingTimeout">How long <see cref="AcquireAsync"/> tries. Default 1 s; zero tries once;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="options">Renewal and polling settings; <see cref="RedisLockOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An argument is empty or out of range.</exception>
    public RedisDistributedLock(RedisDb db, string lockKey, string? lockValue = null, TimeSpan? timeout = null, TimeSpan? blockingTimeout = null, RedisLockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrEmpty(lockKey);
        if (lockValue is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(lockValue);
        }

        var lease = timeout ?? TimeSpan.FromSeconds(10);
        if (lease < TimeSpan.FromMilliseconds(1) || lease > TimeSpan.FromDays(365))
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), lease, "The lock timeout must be at least 1 ms and at most 365 days.");
        }

        var blocking = blockingTimeout ?? TimeSpan.FromSeconds(1);
        if (blocking < TimeSpan.Zero && blocking != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(blockingTimeout), blocking, "The blocking timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }

        _db = db;
        _keys = LockKeys.For(lockKey);
        _options = options ?? RedisLockOptions.Default;
        _renewalInterval = _options.ResolveRenewalInterval(lease);
        LockValue = lockValue ?? LockTokens.Next();
        Timeout = lease;
        BlockingTimeout = blocking;
        var leaseMs = (long)Math.Ceiling(lease.TotalMilliseconds);
        // A waiter's registration lasts a few of its longest polls: the head waiter refreshes it with every attempt,
        // so only a waiter that died (or stalled that long) loses its turn, and a free lock waits at most this long for it.
        var waiterTtl = Math.Max(1_000, (long)Math.Ceiling(_options.MaxRetryDelay.TotalMilliseconds * 4));
        // Numbers stay numbers: RedisValue writes them as the same decimal text, without a string per lock.
        _acquireArgs = [LockValue, leaseMs, 0];
        _queuedAcquireArgs = [LockValue, leaseMs, waiterTtl];
        _releaseArgs = [LockValue, _keys.ReleaseChannel];
        _logger = db.LoggerFactory.CreateLogger<RedisDistributedLock>();
    }

    /// <summary>The Redis key of the lock (seed <c>lock_key</c>).</summary>
    public string LockKey => _keys.LockKey;

    /// <summary>The owner token stored in the key while held (seed <c>lock_value</c>).</summary>
    public string LockValue { get; }

    /// <summary>The lease length (seed <c>timeout</c>).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How long <see cref="AcquireAsync"/> tries (seed <c>blocking_timeout</c>).</summary>
    public TimeSpan BlockingTimeout { get; }

    /// <summary>The key of this lock's fencing counter (same hash slot as <see cref="LockKey"/>).</summary>
    public string FencingKey => _keys.FenceKey;

    /// <summary>
    /// The fencing token of the latest successful acquisition: it strictly increases for <see cref="LockKey"/>
    /// across holders and process restarts (a counter in Redis, incremented by the acquire script). Pass it with
    /// every write the lock protects and let the storage reject a token lower than one it has seen. 0 before the
    /// first acquisition.
    /// </summary>
    public long FencingToken => Volatile.Read(ref _fencingToken);

    /// <summary>Whether this instance believes it holds the lock: acquired, not released, not known lost.</summary>
    public bool IsHeld
    {
        get
        {
            lock (_gate)
            {
                return _held && _monitor?.LostToken.IsCancellationRequested != true;
            }
        }
    }

    /// <summary>
    /// Cancelled when the current acquisition is known lost: renewal (or, with renewal off, a periodic check) found
    /// the key deleted or holding another value, or no renewal succeeded before the lease ran out. A single failed
    /// renewal call does not cancel it. A normal release does not cancel it. When the lock is not held, an
    /// already-cancelled token.
    /// </summary>
    public CancellationToken HandleLost
    {
        get
        {
            lock (_gate)
            {
                if (!_held)
                {
                    return new CancellationToken(canceled: true);
                }

                // Without renewal, watching starts when someone asks for the signal.
                _monitor ??= LeaseMonitor.Start(_db, _keys, LockValue, Timeout, _renewalInterval, extend: false,
                    _fencingToken, _acquireSentAt, this, _logger);
                return _monitor.LostToken;
            }
        }
    }

    /// <summary>
    /// Seed <c>acquire</c>: takes the lock, trying until <see cref="BlockingTimeout"/>; true when held. A key that
    /// already holds this lock's own value is taken over (the seed first deletes it), with a new fencing token.
    /// Answers false when Redis cannot be reached in time; never throws for an outage.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while waiting; nothing is held then.</exception>
    public Task<bool> AcquireAsync(CancellationToken ct = default) =>
        AcquireObservedAsync(BlockingTimeout, renew: _options.Renewal == LeaseRenewal.Always, ct);

    /// <summary>
    /// Seed <c>spin_acquire</c>: waits until the lock is taken (woken at once by a release, not every 10 s as the
    /// seed). The lease is renewed while held unless <see cref="RedisLockOptions.Renewal"/> is
    /// <see cref="LeaseRenewal.Never"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; nothing is held then.</exception>
    public async Task SpinAcquireAsync(CancellationToken ct = default) =>
        await AcquireObservedAsync(System.Threading.Timeout.InfiniteTimeSpan, renew: _options.Renewal != LeaseRenewal.Never, ct).ConfigureAwait(false);

    /// <summary>
    /// Seed <c>release</c>: deletes the key only when it holds this lock's value (never another holder's lock), stops
    /// renewal and wakes the next waiter. Does nothing when the lock is not ours; never throws for an outage (then
    /// the lease expires on its own).
    /// </summary>
    public async Task ReleaseAsync()
    {
        LockTelemetry.Released(_keys.LockKey, Interlocked.Exchange(ref _heldSince, 0));
        StopWatching();
        var released = await _db.ExecuteAsync<RedisDistributedLock, RedisResult, bool>("RedisDistributedLock.Release", _keys.LockKey, this, LeanRelease,
            static (db, l) => LockScripts.Release.EvaluateAsync(db, l._keys.Keys, l._releaseArgs), static reply => (long)reply == 1,
            false, idempotent: true, CancellationToken.None).ConfigureAwait(false);
        if (!released)
        {
            LockLog.ReleaseNotOwned(_logger, _keys.LockKey);
        }
    }

    /// <summary>Releases the lock if held, and stops renewal. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        bool held;
        lock (_gate)
        {
            held = _held;
        }

        if (held)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        else
        {
            StopWatching();
        }
    }

    private async Task<bool> AcquireCoreAsync(TimeSpan wait, bool renew, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ct.ThrowIfCancellationRequested();
        StopWatching();
        var started = Stopwatch.GetTimestamp();
        var uncertain = false;

        // The first attempt does not queue: an uncontended acquire is one round trip, and a free lock is taken at
        // once unless earlier waiters are registered for it (then this caller queues behind them).
        var attempt = await TryOnceAsync(register: false).ConfigureAwait(false);
        if (attempt.Outcome == AcquireOutcome.Acquired)
        {
            OnAcquired(attempt.Value, renew);
            return true;
        }

        uncertain |= attempt.Outcome == AcquireOutcome.Unknown;
        if (wait == TimeSpan.Zero)
        {
            await ForgetUncertainAsync(uncertain).ConfigureAwait(false);
            return false;
        }

        using var waitSpan = LockTelemetry.Start(RedisFlowInstrumentation.LockWaitSpan, _keys.LockKey);
        LockWaiter? waiter = null;
        var acquired = false;
        var registered = false;
        try
        {
            waiter = await LockWaitQueue.JoinAsync(_db, _keys.ReleaseChannel, LockValue, _logger, ct).ConfigureAwait(false);
            var backoff = FirstRetryDelay;
            while (true)
            {
                var signal = waiter.Arm();
                var pause = System.Threading.Timeout.InfiniteTimeSpan;
                if (waiter.IsHead)
                {
                    // Only the head of this process's waiters registers in Redis (and refreshes its registration
                    // with every attempt); the others wait for their turn here.
                    registered = true;
                    attempt = await TryOnceAsync(register: true).ConfigureAwait(false);
                    if (attempt.Outcome == AcquireOutcome.Acquired)
                    {
                        acquired = true;
                        OnAcquired(attempt.Value, renew);
                        return true;
                    }

                    uncertain |= attempt.Outcome == AcquireOutcome.Unknown;
                    pause = NextPause(attempt, backoff);
                    backoff = backoff * 2 < _options.MaxRetryDelay ? backoff * 2 : _options.MaxRetryDelay;
                }

                if (wait != System.Threading.Timeout.InfiniteTimeSpan)
                {
                    var left = wait - Stopwatch.GetElapsedTime(started);
                    if (left <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    pause = pause == System.Threading.Timeout.InfiniteTimeSpan || left < pause ? left : pause;
                }

                await WaitForSignalAsync(signal, pause, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (!acquired)
            {
                await ForgetUncertainAsync(uncertain).ConfigureAwait(false);
                if (registered)
                {
                    await UnqueueAsync().ConfigureAwait(false);
                }
            }

            waiter?.Leave();
        }
    }

    /// <summary>
    /// One acquire script call, never cancelled halfway (a cancelled call could still take the lock on the server).
    /// With <paramref name="register"/>, a refused caller is registered (or refreshed) as a waiter in Redis.
    /// </summary>
    private Task<AcquireAttempt> TryOnceAsync(bool register)
    {
        Volatile.Write(ref _acquireSentAt, Stopwatch.GetTimestamp());
        var args = register ? _queuedAcquireArgs : _acquireArgs;
        if (_db.WaitsForReplicas)
        {
            return TryOnceDurablyAsync(args);
        }

        return _db.ExecuteAsync<(RedisDistributedLock Lock, RedisValue[] Args), RedisResult, AcquireAttempt>("RedisDistributedLock.Acquire", _keys.LockKey,
            (this, args), LeanAcquire, static (db, s) => LockScripts.Acquire.EvaluateAsync(db, s.Lock._keys.Keys, s.Args), ToAttempt,
            AcquireAttempt.Failed, idempotent: true, CancellationToken.None);
    }

    private static AcquireAttempt ToAttempt(RedisResult result)
    {
        var reply = (RedisResult[])result!;
        return (long)reply[0] == 1
            ? new AcquireAttempt(AcquireOutcome.Acquired, (long)reply[1])
            : new AcquireAttempt(AcquireOutcome.Held, (long)reply[1]);
    }

    /// <summary>
    /// A registered waiter that leaves without the lock deregisters, so a free lock is not kept for it until its
    /// registration runs out (the script wakes the next waiter if the lock is free). Best effort: on failure the
    /// registration simply expires.
    /// </summary>
    private async Task UnqueueAsync() =>
        _ = await _db.ExecuteAsync<RedisDistributedLock, RedisResult, bool>("RedisDistributedLock.Unqueue", _keys.LockKey, this,
            static (db, l) => LockScripts.Unqueue.EvaluateAsync(db, l._keys.Keys, l._releaseArgs), static reply => (long)reply == 1,
            false, idempotent: true, CancellationToken.None).ConfigureAwait(false);

    /// <summary>Fallback polling delay: doubling with jitter up to the cap, and never past the holder's lease end.</summary>
    private static TimeSpan NextPause(AcquireAttempt attempt, TimeSpan backoff)
    {
        var jittered = backoff * (0.75 + (Random.Shared.NextDouble() / 2));
        if (attempt.Outcome == AcquireOutcome.Held && attempt.Value >= 0)
        {
            var untilExpiry = TimeSpan.FromMilliseconds(attempt.Value + 1);
            return untilExpiry < jittered ? untilExpiry : jittered;
        }

        return jittered;
    }

    private static async Task WaitForSignalAsync(Task signal, TimeSpan pause, CancellationToken ct)
    {
        if (signal.IsCompleted)
        {
            return;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (pause != System.Threading.Timeout.InfiniteTimeSpan)
        {
            timer.CancelAfter(pause);
        }

        await Task.WhenAny(signal, Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, timer.Token)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// After a failed wait in which some call's outcome was unknown, deletes the key if it holds our value, so a
    /// timed-out or cancelled acquire leaves no lock behind.
    /// </summary>
    private async Task ForgetUncertainAsync(bool uncertain)
    {
        if (uncertain)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    private void OnAcquired(long fencingToken, bool renew)
    {
        lock (_gate)
        {
            _monitor?.Stop();
            _monitor = null;
            _held = true;
            _heldSince = LockTelemetry.Now();
            Volatile.Write(ref _fencingToken, fencingToken);
            if (renew)
            {
                _monitor = LeaseMonitor.Start(_db, _keys, LockValue, Timeout, _renewalInterval, extend: true,
                    fencingToken, _acquireSentAt, this, _logger);
            }
        }
    }

    private void StopWatching()
    {
        lock (_gate)
        {
            _monitor?.Stop();
            _monitor = null;
            _held = false;
        }
    }
}
