using System.Diagnostics;
using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Locking;

/// <summary>
/// Lease renewal and the lost-lock signal, run on every topology by the one-line subclasses at the end. Leases are
/// several seconds long and renewed every second, so a renewed lock is lost only if its renewal loop stalls for more
/// than five seconds: a loaded 2-core CI machine must not make these fail.
/// </summary>
public abstract class LockLeaseTestCases(IRedisTopology topology) : TopologyTestBase(topology)
{
    private static readonly TimeSpan RenewedLease = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan RenewalInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FixedLease = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Renewal_keeps_a_spin_acquired_lock_past_its_timeout()
    {
        var key = Key();
        await using var holder = new RedisDistributedLock(Db, key, timeout: RenewedLease, options: new RedisLockOptions { RenewalInterval = RenewalInterval });
        var acquired = Stopwatch.StartNew();
        await holder.SpinAcquireAsync(Ct);

        await HeldUntilAsync(holder, acquired, RenewedLease + TimeSpan.FromSeconds(2));
        Assert.True(holder.IsHeld);
        await holder.ReleaseAsync();
        Assert.False(await Db.ExistAsync(key, Ct));
    }

    [Fact]
    public async Task Renewal_can_be_turned_on_for_acquire_and_off_for_spin_acquire()
    {
        var always = new RedisLockOptions { Renewal = LeaseRenewal.Always, RenewalInterval = RenewalInterval };
        await using var renewed = new RedisDistributedLock(Db, Key("a"), timeout: RenewedLease, options: always);
        var acquired = Stopwatch.StartNew();
        Assert.True(await renewed.AcquireAsync(Ct));

        var never = new RedisLockOptions { Renewal = LeaseRenewal.Never };
        var fixedLease = new RedisDistributedLock(Db, Key("b"), timeout: FixedLease, options: never);
        await fixedLease.SpinAcquireAsync(Ct);

        await LockTestHelpers.UntilAsync(async () => await Db.ExistAsync(fixedLease.LockKey, Ct) == false, Generous, "the unrenewed lease to expire");
        await HeldUntilAsync(renewed, acquired, RenewedLease + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Without_renewal_the_seed_acquire_keeps_its_fixed_lease_and_reports_the_end_as_lost()
    {
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, timeout: FixedLease);
        Assert.True(await holder.AcquireAsync(Ct));
        var lost = holder.HandleLost;

        await LockTestHelpers.WhenCancelledAsync(Generous, lost);
        await LockTestHelpers.UntilAsync(async () => await Db.ExistAsync(key, Ct) == false, Generous, "the lease to expire");
        Assert.False(holder.IsHeld);
    }

    [Fact]
    public async Task HandleLost_fires_when_the_key_is_deleted_externally()
    {
        var key = Key();
        await using var holder = new RedisDistributedLock(Db, key, timeout: RenewedLease, options: new RedisLockOptions { RenewalInterval = RenewalInterval });
        await holder.SpinAcquireAsync(Ct);
        var lost = holder.HandleLost;
        Assert.False(lost.IsCancellationRequested);

        Assert.True(await Db.DeleteAsync(key, Ct));
        await LockTestHelpers.WhenCancelledAsync(Generous, lost);
        Assert.False(holder.IsHeld);
    }

    [Fact]
    public async Task A_lock_taken_over_by_another_value_is_reported_lost_and_never_renewed_or_released()
    {
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, timeout: RenewedLease, options: new RedisLockOptions { RenewalInterval = RenewalInterval });
        await holder.SpinAcquireAsync(Ct);
        var lost = holder.HandleLost;

        Assert.True(await Db.SetAsync(key, "someone-else", 300, Ct));
        await LockTestHelpers.WhenCancelledAsync(Generous, lost);

        await holder.ReleaseAsync();
        Assert.Equal("someone-else", await Db.GetAsync(key, Ct));
        var ttl = await (await Db.GetDatabaseAsync(Ct)).KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.True(ttl.Value > RenewedLease, $"the other value's TTL {ttl} was shortened to our lease");
    }

    /// <summary>Asserts the lock stays ours until <paramref name="until"/> has passed since it was acquired.</summary>
    private async Task HeldUntilAsync(RedisDistributedLock holder, Stopwatch acquired, TimeSpan until)
    {
        // A stalled test only shortens the watch: the last check, past the lease, still needs a renewal to pass.
        await LockTestHelpers.HoldsForAsync(until - acquired.Elapsed, async () =>
        {
            Assert.Equal(holder.LockValue, await Db.GetAsync(holder.LockKey, Ct));
            Assert.False(holder.HandleLost.IsCancellationRequested);
        });
        Assert.Equal(holder.LockValue, await Db.GetAsync(holder.LockKey, Ct));
    }
}

public sealed class StandaloneLockLeaseTests(RedisFixture fixture) : LockLeaseTestCases(fixture);

public sealed class ClusterLockLeaseTests(ClusterFixture fixture) : LockLeaseTestCases(fixture);
