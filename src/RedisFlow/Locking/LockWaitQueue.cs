using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisFlow.Locking;

/// <summary>
/// The waiters of one lock key on one multiplexer, with one subscription to the key's release channel. A release
/// message names the waiter the lock is promised to (the longest-waiting one registered in Redis); it wakes this
/// process's head waiter only when that is the head's token (or when the message names nobody: an older publisher).
/// When the last waiter leaves, the subscription is kept a little while (so a steady stream of contention does not
/// subscribe and unsubscribe every time) and then dropped.
/// </summary>
internal sealed class LockWaitQueue
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, Registry> Registries = new();
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(5);

    // The "someone listens" marker lives twice as long as it is left unrefreshed at most (see MarkListeningAsync).
    private static readonly TimeSpan ListeningLifetime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ListeningRefresh = TimeSpan.FromSeconds(5);

    private readonly Registry _registry;
    private readonly RedisDb _db;
    private readonly RedisChannel _channel;
    private readonly LinkedList<LockWaiter> _waiters = new();
    private readonly Action<RedisChannel, RedisValue> _handler;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _listeningKey;
    private int _idleVersion;
    private long _listeningMarkedAt;

    private LockWaitQueue(Registry registry, RedisDb db, string channel)
    {
        _registry = registry;
        _db = db;
        _channel = RedisChannel.Literal(channel);
        _handler = (_, message) => WakeHead(message);
        _listeningKey = channel.StartsWith(LockKeys.ReleaseChannelPrefix, StringComparison.Ordinal)
            ? LockKeys.For(channel[LockKeys.ReleaseChannelPrefix.Length..]).ListeningKey
            : null;
    }

    /// <summary>
    /// Joins the FIFO of <paramref name="channel"/>'s waiters and returns once the release channel is subscribed
    /// (or its subscription failed; then waiters fall back to polling), so no release after this call is missed.
    /// </summary>
    public static Task<LockWaiter> JoinAsync(RedisDb db, string channel, ILogger logger, CancellationToken ct) =>
        JoinAsync(db, channel, null, logger, ct);

    /// <summary>
    /// As the other overload, for a waiter whose owner token is <paramref name="token"/>: a release message naming
    /// another waiter does not wake it (null: every release message does).
    /// </summary>
    public static async Task<LockWaiter> JoinAsync(RedisDb db, string channel, string? token, ILogger logger, CancellationToken ct)
    {
        var connection = await db.GetConnectionAsync(ct).ConfigureAwait(false);
        var registry = Registries.GetValue(connection, static _ => new Registry());
        LockWaitQueue? created = null;
        LockWaiter waiter;
        lock (registry.Gate)
        {
            if (!registry.Queues.TryGetValue(channel, out var queue))
            {
                queue = created = new LockWaitQueue(registry, db, channel);
                registry.Queues[channel] = queue;
            }

            waiter = new LockWaiter(queue, token);
            queue._waiters.AddLast(waiter);
            queue._idleVersion++;
        }

        if (created is not null)
        {
            _ = created.SubscribeAsync(logger);
        }

        try
        {
            var marked = waiter.Queue.MarkListeningAsync();
            await waiter.Queue._subscribed.Task.WaitAsync(ct).ConfigureAwait(false);
            await marked.ConfigureAwait(false);
        }
        catch
        {
            waiter.Leave();
            throw;
        }

        return waiter;
    }

    public bool IsHead(LockWaiter waiter)
    {
        lock (_registry.Gate)
        {
            return _waiters.First?.Value == waiter;
        }
    }

    public void Leave(LockWaiter waiter)
    {
        LockWaiter? next = null;
        var idle = false;
        int version;
        lock (_registry.Gate)
        {
            var wasHead = _waiters.First?.Value == waiter;
            _waiters.Remove(waiter);
            if (wasHead)
            {
                next = _waiters.First?.Value;
            }

            idle = _waiters.Count == 0;
            version = ++_idleVersion;
        }

        // The new head tries at once: the old head may have left without the lock (timeout, cancellation).
        next?.Signal();
        if (idle)
        {
            _ = UnsubscribeWhenIdleAsync(version);
        }
    }

    /// <summary>
    /// Tells releasers that someone listens on the release channel (<see cref="LockKeys.ListeningKey"/>, a short-lived
    /// key): a release publishes only while waiters are registered or this marker exists, so an uncontended lock costs
    /// no PUBLISH (on Cluster a PUBLISH goes to every node). A waiter that waits longer is registered by then (the
    /// head's attempts register it); the marker covers the moment between joining and that first attempt. Refreshed
    /// at most every few seconds per queue; best effort (without it, waiters still poll).
    /// </summary>
    private Task MarkListeningAsync()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _listeningMarkedAt);
        if (_listeningKey is null || (last != 0 && now - last < (long)ListeningRefresh.TotalMilliseconds)
            || Interlocked.CompareExchange(ref _listeningMarkedAt, now, last) != last)
        {
            return Task.CompletedTask;
        }

        return _db.ExecuteAsync("RedisDistributedLock.Listen", _listeningKey, this,
            static (database, q) => database.StringSetAsync(q._listeningKey, "1", ListeningLifetime), false, idempotent: true, CancellationToken.None);
    }

    /// <summary>This process's head waiter, when the lock was promised to it (or the message names no waiter).</summary>
    private void WakeHead(RedisValue promisedTo)
    {
        LockWaiter? head;
        lock (_registry.Gate)
        {
            head = _waiters.First?.Value;
        }

        if (head is not null && (head.Token is null || promisedTo.IsNullOrEmpty || promisedTo == "1" || promisedTo == head.Token))
        {
            head.Signal();
        }
    }

    private async Task SubscribeAsync(ILogger logger)
    {
        // Through the shared wrapper: bounded, retried on a dropped connection, and a NOPERM (a user without the
        // release channel) becomes RedisDb.LastProblem naming the rule to add, not only a log line.
        var subscribed = await _db.ExecuteAsync("RedisDistributedLock.Subscribe", _channel.ToString(), this, static async (database, q) =>
        {
            await database.Multiplexer.GetSubscriber().SubscribeAsync(q._channel, q._handler).ConfigureAwait(false);
            return true;
        }, false, idempotent: true, CancellationToken.None).ConfigureAwait(false);
        if (!subscribed)
        {
            // Waiters still poll; the next queue for this key subscribes again.
            LockLog.SubscribeFailed(logger, _channel.ToString());
            lock (_registry.Gate)
            {
                if (_registry.Queues.TryGetValue(_channel.ToString(), out var current) && current == this)
                {
                    _registry.Queues.Remove(_channel.ToString());
                }
            }
        }

        _subscribed.TrySetResult();
    }

    private async Task UnsubscribeWhenIdleAsync(int version)
    {
        await Task.Delay(Linger).ConfigureAwait(false);
        lock (_registry.Gate)
        {
            if (_idleVersion != version || _waiters.Count != 0
                || !_registry.Queues.TryGetValue(_channel.ToString(), out var current) || current != this)
            {
                return;
            }

            _registry.Queues.Remove(_channel.ToString());
        }

        try
        {
            // Through the shared wrapper too, so a user without +unsubscribe is told which rule to add.
            await _subscribed.Task.ConfigureAwait(false);
            _ = await _db.ExecuteAsync("RedisDistributedLock.Unsubscribe", _channel.ToString(), this, static async (database, q) =>
            {
                await database.Multiplexer.GetSubscriber().UnsubscribeAsync(q._channel, q._handler).ConfigureAwait(false);
                return true;
            }, false, idempotent: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The RedisDb was disposed meanwhile: its subscriptions went with it.
        }
    }

    /// <summary>The queues of one multiplexer (one subscription per channel and multiplexer).</summary>
    private sealed class Registry
    {
        public Lock Gate { get; } = new();

        public Dictionary<string, LockWaitQueue> Queues { get; } = new(StringComparer.Ordinal);
    }
}
