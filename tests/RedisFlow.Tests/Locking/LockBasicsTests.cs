using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisFlow.Tests.Locking;

/// <summary>The seed's lock contract against a real redis-server: ownership, expiry, fencing, waiting, cancellation.</summary>
public sealed class LockBasicsTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    private async Task<IDatabase> RawAsync() => await Db.GetDatabaseAsync(Ct);

    [Fact]
    public async Task Acquire_release_and_reacquire_with_the_same_value()
    {
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, "worker-1");

        Assert.True(await holder.AcquireAsync(Ct));
        Assert.Equal("worker-1", await Db.GetAsync(key, Ct));
        Assert.True(holder.IsHeld);
        var firstToken = holder.FencingToken;

        await holder.ReleaseAsync();
        Assert.False(await Db.ExistAsync(key, Ct));
        Assert.False(holder.IsHeld);

        Assert.True(await holder.AcquireAsync(Ct));
        Assert.Equal("worker-1", await Db.GetAsync(key, Ct));
        Assert.True(holder.FencingToken > firstToken);
        await holder.ReleaseAsync();
    }

    [Fact]
    public async Task A_key_holding_our_own_value_is_taken_over_as_the_seed_does_with_a_new_fencing_token()
    {
        var key = Key();
        var previousRun = new RedisDistributedLock(Db, key, "executor-7", timeout: TimeSpan.FromMinutes(1));
        Assert.True(await previousRun.AcquireAsync(Ct));

        // A restarted worker with the same value gets the lock back at once instead of waiting out the lease.
        var restarted = new RedisDistributedLock(Db, key, "executor-7", blockingTimeout: TimeSpan.Zero);
        Assert.True(await restarted.AcquireAsync(Ct));
        Assert.True(restarted.FencingToken > previousRun.FencingToken);
        await restarted.ReleaseAsync();
    }

    [Fact]
    public async Task Release_by_a_non_owner_is_refused()
    {
        var key = Key();
        await using var owner = new RedisDistributedLock(Db, key);
        Assert.True(await owner.AcquireAsync(Ct));

        var intruder = new RedisDistributedLock(Db, key, blockingTimeout: TimeSpan.Zero);
        await intruder.ReleaseAsync();
        Assert.Equal(owner.LockValue, await Db.GetAsync(key, Ct));

        Assert.False(await intruder.AcquireAsync(Ct));
        Assert.Equal(owner.LockValue, await Db.GetAsync(key, Ct));
    }

    [Fact]
    public async Task Expiry_frees_the_lock_for_the_next_holder()
    {
        var key = Key();
        var first = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMilliseconds(300));
        Assert.True(await first.AcquireAsync(Ct));

        // The waiter learns the holder's remaining lease from its failed attempt and retries when it ends.
        var second = new RedisDistributedLock(Db, key, blockingTimeout: TimeSpan.FromSeconds(10));
        Assert.True(await second.AcquireAsync(Ct));
        Assert.Equal(second.LockValue, await Db.GetAsync(key, Ct));
        Assert.True(second.FencingToken > first.FencingToken);

        // The expired holder's release must not delete the new holder's lock.
        await first.ReleaseAsync();
        Assert.Equal(second.LockValue, await Db.GetAsync(key, Ct));
        await second.ReleaseAsync();
    }

    [Fact]
    public async Task Blocking_acquire_gives_up_after_the_blocking_timeout_and_leaves_the_holder_alone()
    {
        var key = Key();
        await using var holder = new RedisDistributedLock(Db, key);
        Assert.True(await holder.AcquireAsync(Ct));

        var waiter = new RedisDistributedLock(Db, key, blockingTimeout: TimeSpan.FromMilliseconds(150));
        Assert.False(await waiter.AcquireAsync(Ct));
        Assert.False(waiter.IsHeld);
        Assert.True(waiter.HandleLost.IsCancellationRequested);
        Assert.Equal(holder.LockValue, await Db.GetAsync(key, Ct));
    }

    [Fact]
    public async Task A_release_wakes_a_spinning_waiter()
    {
        var key = Key();
        var holder = new RedisDistributedLock(Db, key);
        Assert.True(await holder.AcquireAsync(Ct));

        await using var waiter = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromSeconds(30));
        var waiting = waiter.SpinAcquireAsync(Ct);
        Assert.False(waiting.IsCompleted);

        await holder.ReleaseAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(waiter.IsHeld);
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
            await using var l = new RedisDistributedLock(Db, key);
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

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30), Ct);
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
        var holder = new RedisDistributedLock(Db, key);
        Assert.True(await holder.AcquireAsync(Ct));

        var waiter = new RedisDistributedLock(Db, key);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waiting = waiter.SpinAcquireAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        await holder.ReleaseAsync();
        Assert.False(await Db.ExistAsync(key, Ct));
        Assert.False(waiter.IsHeld);

        // And the key is usable by others afterwards.
        var next = new RedisDistributedLock(Db, key, blockingTimeout: TimeSpan.Zero);
        Assert.True(await next.AcquireAsync(Ct));
        await next.ReleaseAsync();
    }

    [Fact]
    public async Task Fencing_tokens_strictly_increase_across_instances_and_live_in_the_lock_keys_slot()
    {
        var key = Key();
        var seen = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            await using var l = new RedisDistributedLock(Db, key); // a new holder each time, as a restarted process
            Assert.True(await l.AcquireAsync(Ct));
            seen.Add(l.FencingToken);
            Assert.Equal($"{{{key}}}:fence", l.FencingKey);
            Assert.Equal(l.FencingToken.ToString(System.Globalization.CultureInfo.InvariantCulture), await Db.GetAsync(l.FencingKey, Ct));
        }

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(seen[0] >= 1);
        await (await RawAsync()).KeyDeleteAsync($"{{{key}}}:fence");
    }

    [Fact]
    public async Task Dispose_releases_a_held_lock_and_is_idempotent()
    {
        var key = Key();
        var l = new RedisDistributedLock(Db, key);
        Assert.True(await l.AcquireAsync(Ct));
        await l.DisposeAsync();
        await l.DisposeAsync();
        Assert.False(await Db.ExistAsync(key, Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => l.AcquireAsync(Ct));
    }

    [Fact]
    public void Arguments_out_of_range_are_rejected_with_their_names()
    {
        Assert.Throws<ArgumentException>("lockKey", () => new RedisDistributedLock(Db, ""));
        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => new RedisDistributedLock(Db, "k", timeout: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("blockingTimeout", () => new RedisDistributedLock(Db, "k", blockingTimeout: TimeSpan.FromSeconds(-2)));
        var defaults = new RedisDistributedLock(Db, "k");
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(1), defaults.BlockingTimeout);
        Assert.True(Guid.TryParse(defaults.LockValue, out _));
    }
}
