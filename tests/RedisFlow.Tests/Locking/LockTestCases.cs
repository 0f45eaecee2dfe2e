using System.Globalization;
using RedisFlow.Cluster;
using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Locking;

/// <summary>
/// The seed's lock contract (ownership, take-over, expiry, fencing, dispose, delete-if-equal release, script reload),
/// written once and run on every topology by the one-line subclasses at the end.
/// </summary>
public abstract class LockTestCases(IRedisTopology topology) : TopologyTestBase(topology)
{
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
    public async Task Spin_acquire_of_a_free_lock_takes_it_at_once_with_the_lease_as_ttl()
    {
        var key = Key();
        await using var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromSeconds(40));
        await holder.SpinAcquireAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(holder.IsHeld);
        Assert.Equal(holder.LockValue, await Db.GetAsync(key, Ct));
        var ttl = await (await Db.GetDatabaseAsync(Ct)).KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(40));
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
        await using var owner = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await owner.AcquireAsync(Ct));

        var intruder = new RedisDistributedLock(Db, key, blockingTimeout: TimeSpan.Zero);
        await intruder.ReleaseAsync();
        Assert.Equal(owner.LockValue, await Db.GetAsync(key, Ct));

        Assert.False(await intruder.AcquireAsync(Ct));
        Assert.Equal(owner.LockValue, await Db.GetAsync(key, Ct));
    }

    [Fact]
    public async Task Expiry_frees_the_lock_for_the_next_holder_and_the_old_release_leaves_it_alone()
    {
        var key = Key();
        var first = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMilliseconds(500));
        Assert.True(await first.AcquireAsync(Ct));

        // The waiter learns the holder's remaining lease from its failed attempt and retries when it ends.
        var second = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1), blockingTimeout: TimeSpan.FromSeconds(30));
        Assert.True(await second.AcquireAsync(Ct));
        Assert.Equal(second.LockValue, await Db.GetAsync(key, Ct));
        Assert.True(second.FencingToken > first.FencingToken);

        await first.ReleaseAsync();
        Assert.Equal(second.LockValue, await Db.GetAsync(key, Ct));
        await second.ReleaseAsync();
    }

    [Fact]
    public async Task Blocking_acquire_gives_up_after_the_blocking_timeout_and_leaves_the_holder_alone()
    {
        var key = Key();
        await using var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await holder.AcquireAsync(Ct));

        var waiter = new RedisDistributedLock(Db, key, blockingTimeout: TimeSpan.FromMilliseconds(300));
        Assert.False(await waiter.AcquireAsync(Ct));
        Assert.False(waiter.IsHeld);
        Assert.True(waiter.HandleLost.IsCancellationRequested);
        Assert.Equal(holder.LockValue, await Db.GetAsync(key, Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{tenant-7}:lock:")]
    [InlineData("odd}key:")]
    public async Task Fencing_tokens_strictly_increase_and_live_in_the_lock_keys_slot(string prefix)
    {
        // The acquire script touches the lock key and the counter together: on Cluster it fails (CROSSSLOT) unless
        // both share a slot, for a plain key, a key with its own hash tag and a key with a '}' but no tag alike.
        var key = prefix + Key();
        var seen = new List<long>();
        string? fenceKey = null;
        for (var i = 0; i < 5; i++)
        {
            await using var l = new RedisDistributedLock(Db, key); // a new holder each time, as a restarted process
            Assert.True(await l.AcquireAsync(Ct));
            seen.Add(l.FencingToken);
            fenceKey = l.FencingKey;
            Assert.Equal(RedisHashSlot.Of(key), RedisHashSlot.Of(l.FencingKey));
            Assert.Equal(l.FencingToken.ToString(CultureInfo.InvariantCulture), await Db.GetAsync(l.FencingKey, Ct));
        }

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(seen[0] >= 1);
        Assert.True(await Db.DeleteAsync(fenceKey!, Ct));
    }

    [Fact]
    public async Task Locks_on_keys_of_every_primary_work_side_by_side()
    {
        // Four keys in each third of the slot space (on the Cluster, each third is one primary's), held together.
        var perThird = new List<string>[] { [], [], [] };
        for (var i = 0; i < 10_000 && perThird.Any(t => t.Count < 4); i++)
        {
            var key = Key(i.ToString(CultureInfo.InvariantCulture));
            var third = perThird[Math.Min(2, RedisHashSlot.Of(key) * 3 / RedisHashSlot.SlotCount)];
            if (third.Count < 4)
            {
                third.Add(key);
            }
        }

        var holders = perThird.SelectMany(t => t).Select(k => new RedisDistributedLock(Db, k, timeout: TimeSpan.FromMinutes(1))).ToList();
        Assert.Equal(12, holders.Count);
        try
        {
            foreach (var holder in holders)
            {
                Assert.True(await holder.AcquireAsync(Ct));
            }

            foreach (var holder in holders)
            {
                Assert.Equal(holder.LockValue, await Db.GetAsync(holder.LockKey, Ct));
                Assert.Equal(holder.FencingToken.ToString(CultureInfo.InvariantCulture), await Db.GetAsync(holder.FencingKey, Ct));
            }
        }
        finally
        {
            foreach (var holder in holders)
            {
                await holder.DisposeAsync();
            }
        }

        foreach (var holder in holders)
        {
            Assert.False(await Db.ExistAsync(holder.LockKey, Ct));
        }
    }

    [Fact]
    public async Task A_delete_if_equal_release_as_the_seed_does_frees_the_lock_for_a_waiter()
    {
        // RAGFlow's Python side releases with the seed's delete_if_equal (compare-and-delete, no publish): a waiter
        // must still get the lock, found by its fallback polling.
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        Assert.True(await holder.AcquireAsync(Ct));
        await using var waiter = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        var waiting = waiter.SpinAcquireAsync(Ct);

        Assert.False(await Db.DeleteIfEqualAsync(key, "not-the-holder", Ct));
        Assert.Equal(holder.LockValue, await Db.GetAsync(key, Ct));
        Assert.True(await Db.DeleteIfEqualAsync(key, holder.LockValue, Ct));

        await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(waiter.LockValue, await Db.GetAsync(key, Ct));
        Assert.True(waiter.FencingToken > holder.FencingToken);
    }

    [Fact]
    public async Task Acquire_renew_and_release_reload_their_scripts_after_SCRIPT_FLUSH()
    {
        var key = Key();
        await using var holder = new RedisDistributedLock(Db, key, timeout: TimeSpan.FromMinutes(1));
        await Topology.FlushScriptsAsync(Ct);
        Assert.True(await holder.AcquireAsync(Ct));
        var lost = holder.HandleLost; // starts the ownership check (lock_extend)
        await Topology.FlushScriptsAsync(Ct);
        await holder.ReleaseAsync();
        Assert.False(await Db.ExistAsync(key, Ct));
        Assert.False(lost.IsCancellationRequested, "a normal release is not a loss");
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

public sealed class StandaloneLockTests(RedisFixture fixture) : LockTestCases(fixture);

public sealed class ClusterLockTests(ClusterFixture fixture) : LockTestCases(fixture);
