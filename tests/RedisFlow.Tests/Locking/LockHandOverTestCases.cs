using Microsoft.Extensions.Logging.Abstractions;
using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

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

public sealed class StandaloneLockHandOverTests(RedisFixture fixture) : LockHandOverTestCases(new StandaloneTopology(fixture));

public sealed class ClusterLockHandOverTests(ClusterFixture fixture) : LockHandOverTestCases(fixture);
