using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using RedisFlow.Locking;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;
using StackExchange.Redis;

namespace RedisFlow.Tests.Locking;

/// <summary>
/// Waiting and hand-over: a release wakes the next waiter by pub/sub (on Cluster the release script publishes on
/// the node of the lock key's slot and the waiter listens wherever its multiplexer subscribed), FIFO among
/// in-process waiters, cancellation. Run on every topology by the one-line subclasses at the end.
/// </summary>
public abstract class LockHandOverTestCases(IRedisTopology topology) : TopologyTestBase(topology)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_release_message_reaches_a_waiter_subscribed_on_the_release_channel()
    {
        // Proves the pub/sub path itself, not the fallback polling: a joined waiter's signal completes only on a
        // release message (it is alone, so it is never signalled for becoming the head).
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await holder.AcquireAsync(Ct));
        var waiter = await LockWaitQueue.JoinAsync(Db, LockKeys.ReleaseChannelPrefix + key, NullLogger.Instance, Ct);
        try
        {
            var signal = waiter.Arm();
            Assert.False(signal.IsCompleted);
            await holder.ReleaseAsync();
            await signal.WaitAsync(Generous, Ct);
        }
        finally
        {
            waiter.Leave();
        }
    }

    [Fact]
    public async Task A_release_wakes_a_spinning_waiter_which_gets_a_higher_fencing_token()
    {
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await holder.AcquireAsync(Ct));

        // Fallback polling is slowed to its maximum, so the hand-over relies on the release message.
        await using var waiter = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1), options: new RedisLockOptions { MaxRetryDelay = TimeSpan.FromMinutes(1) });
        var waiting = waiter.SpinAcquireAsync(Ct);
        Assert.False(waiting.IsCompleted);

        await holder.ReleaseAsync();
        await waiting.WaitAsync(Generous, Ct);
        Assert.True(waiter.IsHeld);
        Assert.Equal(waiter.LockValue, await Db.GetAsync(key, Ct));
        Assert.True(waiter.FencingToken > holder.FencingToken);
    }

    [Fact]
    public async Task A_waiter_on_another_connection_is_handed_the_lock()
    {
        // Two multiplexers, as two processes have: the release published through one wakes the waiter on the other.
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await holder.AcquireAsync(Ct));
        await using var otherDb = await RedisDb.ConnectAsync(Db.Options, ct: Ct);
        await using var waiter = new RedisDistributedLock(otherDb, key, timeout: TimeSpan.FromMinutes(1), options: new RedisLockOptions { MaxRetryDelay = TimeSpan.FromMinutes(1) });
        var waiting = waiter.SpinAcquireAsync(Ct);
        Assert.False(waiting.IsCompleted);

        await holder.ReleaseAsync();
        await waiting.WaitAsync(Generous, Ct);
        Assert.Equal(waiter.LockValue, await Db.GetAsync(key, Ct));
        Assert.True(waiter.FencingToken > holder.FencingToken);
    }

    [Fact]
    public async Task Many_waiters_in_one_process_each_get_the_lock_exactly_once_in_turn()
    {
        var key = Key();
        const int waiters = 8;
        var inside = 0;
        var maxInside = 0;
        var tokens = new List<long>();
        var tasks = Enumerable.Range(0, waiters).Select(_ => Task.Run(async () =>
        {
            await using var l = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
            await l.SpinAcquireAsync(Ct);
            var now = Interlocked.Increment(ref inside);
            lock (tokens)
            {
                maxInside = Math.Max(maxInside, now);
                tokens.Add(l.FencingToken);
            }

            await Task.Yield();
            Interlocked.Decrement(ref inside);
            await l.ReleaseAsync();
        }, Ct)).ToArray();

        await Task.WhenAll(tasks).WaitAsync(Generous * 2, Ct);
        Assert.Equal(1, maxInside);
        Assert.Equal(waiters, tokens.Count);
        Assert.Equal(tokens.Order(), tokens);
        Assert.Equal(waiters, tokens.Distinct().Count());
        Assert.False(await Db.ExistAsync(key, Ct));
    }

    [Fact]
    public async Task A_releaser_asking_again_at_once_queues_behind_waiters_who_get_the_lock_in_arrival_order()
    {
        // Three connections, as three processes. Long fallback polls: the waiters move only on release messages.
        var key = Key();
        var waitersKey = new LockKeys(key).WaitersKey;
        var slow = new RedisLockOptions { MaxRetryDelay = TimeSpan.FromMinutes(1) };
        var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await holder.AcquireAsync(Ct));
        await using var dbA = await RedisDb.ConnectAsync(Db.Options, ct: Ct);
        await using var dbB = await RedisDb.ConnectAsync(Db.Options, ct: Ct);
        await using var first = new RedisDistributedLock(dbA, key, timeout: TimeSpan.FromMinutes(1), options: slow);
        await using var second = new RedisDistributedLock(dbB, key, timeout: TimeSpan.FromMinutes(1), options: slow);
        var firstWaiting = first.SpinAcquireAsync(Ct);
        await Poll.UntilAsync(async () => await Db.ZCardAsync(waitersKey, Ct) == 1, Generous, "the first waiter registered", Ct);
        var secondWaiting = second.SpinAcquireAsync(Ct);
        await Poll.UntilAsync(async () => await Db.ZCardAsync(waitersKey, Ct) == 2, Generous, "the second waiter registered", Ct);

        await holder.ReleaseAsync();
        // The lock is free but promised to the first waiter: the old holder does not get it back.
        var again = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1), blockingTimeout: TimeSpan.Zero);
        Assert.False(await again.AcquireAsync(Ct));

        await firstWaiting.WaitAsync(Generous, Ct);
        Assert.True(first.IsHeld);
        Assert.False(secondWaiting.IsCompleted);
        await first.ReleaseAsync();
        await secondWaiting.WaitAsync(Generous, Ct);
        Assert.True(second.FencingToken > first.FencingToken);
        Assert.True(first.FencingToken > holder.FencingToken);
        await second.ReleaseAsync();
        Assert.Equal(0, await Db.ZCardAsync(waitersKey, Ct));
        Assert.True(await again.AcquireAsync(Ct));
        await again.ReleaseAsync();
    }

    [Fact]
    public async Task A_release_publishes_only_when_someone_waits_and_names_the_waiter_it_is_promised_to()
    {
        var key = Key();
        var channel = RedisChannel.Literal(LockKeys.ReleaseChannelPrefix + key);
        var messages = new ConcurrentQueue<string>();
        await using var listenerDb = await RedisDb.ConnectAsync(Db.Options, ct: Ct);
        var subscriber = (await listenerDb.GetConnectionAsync(Ct)).GetSubscriber();
        await subscriber.SubscribeAsync(channel, (_, message) => messages.Enqueue(message.ToString()));
        await using var publisherDb = await RedisDb.ConnectAsync(Db.Options, ct: Ct);
        var publisher = (await publisherDb.GetConnectionAsync(Ct)).GetSubscriber();

        // Nobody waits (a bare subscription is not a waiter): the release publishes nothing. A marker published
        // after it arrives after anything the release could have published, so no time window is guessed.
        var alone = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await alone.AcquireAsync(Ct));
        await alone.ReleaseAsync();
        await publisher.PublishAsync(channel, "marker-1");
        await Poll.UntilAsync(() => Task.FromResult(messages.Contains("marker-1")), Generous, "the first marker", Ct);
        Assert.Equal(["marker-1"], messages.ToArray());

        // A waiter registered: the release names it.
        var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await holder.AcquireAsync(Ct));
        await using var waiterDb = await RedisDb.ConnectAsync(Db.Options, ct: Ct);
        await using var waiter = new RedisDistributedLock(waiterDb, key, timeout: TimeSpan.FromMinutes(1));
        var waiting = waiter.SpinAcquireAsync(Ct);
        await Poll.UntilAsync(async () => await Db.ZCardAsync(new LockKeys(key).WaitersKey, Ct) == 1, Generous, "the waiter registered", Ct);
        await holder.ReleaseAsync();
        await waiting.WaitAsync(Generous, Ct);
        await Poll.UntilAsync(() => Task.FromResult(messages.Contains(waiter.LockValue)), Generous, "the release naming the waiter", Ct);
        await waiter.ReleaseAsync();
        Assert.Equal(["marker-1", waiter.LockValue], messages.Take(2).ToArray());
        await subscriber.UnsubscribeAsync(channel);
    }

    [Fact]
    public async Task A_registered_waiter_that_gives_up_leaves_the_registry_and_the_next_one_is_named()
    {
        var key = Key();
        var waitersKey = new LockKeys(key).WaitersKey;
        var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await holder.AcquireAsync(Ct));
        await using var dbA = await RedisDb.ConnectAsync(Db.Options, ct: Ct);
        await using var dbB = await RedisDb.ConnectAsync(Db.Options, ct: Ct);
        var slow = new RedisLockOptions { MaxRetryDelay = TimeSpan.FromMinutes(1) };
        var quitter = new RedisDistributedLock(dbA, key, timeout: TimeSpan.FromMinutes(1), options: slow);
        await using var patient = new RedisDistributedLock(dbB, key, timeout: TimeSpan.FromMinutes(1), options: slow);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var quitting = quitter.SpinAcquireAsync(cancel.Token);
        await Poll.UntilAsync(async () => await Db.ZCardAsync(waitersKey, Ct) == 1, Generous, "the first waiter registered", Ct);
        var waiting = patient.SpinAcquireAsync(Ct);
        await Poll.UntilAsync(async () => await Db.ZCardAsync(waitersKey, Ct) == 2, Generous, "the second waiter registered", Ct);

        // The first waiter gives up and leaves the registry; the release then names the second, which gets the lock
        // at once. (Were the first still registered, the release would be promised to it for the four minutes its
        // registration lasts, and the second, polling once a minute, would not get the lock in time.)
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitting);
        Assert.Equal(1, await Db.ZCardAsync(waitersKey, Ct));
        await holder.ReleaseAsync();
        await waiting.WaitAsync(Generous, Ct);
        Assert.True(patient.IsHeld);
        Assert.False(quitter.IsHeld);
        await patient.ReleaseAsync();
    }

    [Fact]
    public async Task Cancelling_spin_acquire_leaves_no_lock_behind()
    {
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await holder.AcquireAsync(Ct));

        var waiter = new RedisDistributedLock(Db, key);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waiting = waiter.SpinAcquireAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        await holder.ReleaseAsync();
        Assert.False(await Db.ExistAsync(key, Ct));
        Assert.False(waiter.IsHeld);

        var next = new RedisDistributedLock(Db, key, blockingTimeout: TimeSpan.Zero);
        Assert.True(await next.AcquireAsync(Ct));
        await next.ReleaseAsync();
    }
}

public sealed class StandaloneLockHandOverTests(RedisFixture fixture) : LockHandOverTestCases(fixture);

public sealed class ClusterLockHandOverTests(ClusterFixture fixture) : LockHandOverTestCases(fixture);
