using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisFlow.Locking;

/// <summary>
/// The waiters of one lock key on one multiplexer, with one subscription to the key's release channel. A release
/// message wakes the head waiter only; when the last waiter leaves, the subscription is kept a little while (so a
/// steady stream of contention does not subscribe and unsubscribe every time) and then dropped.
/// </summary>
internal sealed class LockWaitQueue
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, Registry> Registries = new();
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(5);

    private readonly Registry _registry;
    private readonly RedisChannel _channel;
    private readonly LinkedList<LockWaiter> _waiters = new();
    private readonly Action<RedisChannel, RedisValue> _handler;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _idleVersion;

    private LockWaitQueue(Registry registry, string channel)
    {
        _registry = registry;
        _channel = RedisChannel.Literal(channel);
        _handler = (_, _) => WakeHead();
    }

    /// <summary>
    /// Joins the FIFO of <paramref name="channel"/>'s waiters and returns once the release channel is subscribed
    /// (or its subscription failed; then waiters fall back to polling), so no release after this call is missed.
    /// </summary>
    public static async Task<LockWaiter> JoinAsync(IConnectionMultiplexer connection, string channel, ILogger logger, CancellationToken ct)
    {
        var registry = Registries.GetValue(connection, static c => new Registry(c));
        LockWaitQueue? created = null;
        LockWaiter waiter;
        lock (registry.Gate)
        {
            if (!registry.Queues.TryGetValue(channel, out var queue))
            {
                queue = created = new LockWaitQueue(registry, channel);
                registry.Queues[channel] = queue;
            }

            waiter = new LockWaiter(queue);
            queue._waiters.AddLast(waiter);
            queue._idleVersion++;
        }

        if (created is not null)
        {
            _ = created.SubscribeAsync(logger);
        }

        try
        {
            await waiter.Queue._subscribed.Task.WaitAsync(ct).ConfigureAwait(false);
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

    private void WakeHead()
    {
        LockWaiter? head;
        lock (_registry.Gate)
        {
            head = _waiters.First?.Value;
        }

        head?.Signal();
    }

    private async Task SubscribeAsync(ILogger logger)
    {
        try
        {
            await _registry.Connection.GetSubscriber().SubscribeAsync(_channel, _handler).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Waiters still poll; the next queue for this key subscribes again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LockLog.SubscribeFailed(logger, ex.GetType().Name, ex.Message);
            lock (_registry.Gate)
            {
                if (_registry.Queues.TryGetValue(_channel.ToString(), out var current) && current == this)
                {
                    _registry.Queues.Remove(_channel.ToString());
                }
            }
        }
        finally
        {
            _subscribed.TrySetResult();
        }
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
            await _subscribed.Task.ConfigureAwait(false);
            await _registry.Connection.GetSubscriber().UnsubscribeAsync(_channel, _handler).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed unsubscribe leaves a harmless handler; the multiplexer may be closed.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private sealed class Registry(IConnectionMultiplexer connection)
    {
        public IConnectionMultiplexer Connection { get; } = connection;

        public Lock Gate { get; } = new();

        public Dictionary<string, LockWaitQueue> Queues { get; } = new(StringComparer.Ordinal);
    }
}
