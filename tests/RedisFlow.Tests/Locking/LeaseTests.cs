using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using RedisFlow.Embedded;
using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Locking;

/// <summary>Lease renewal and the lost-lock signal, against a real redis-server.</summary>
public sealed class LeaseTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(600);

    // Renewal tests must survive scheduling stalls on a loaded 2-core machine (CI lost a 2 s lease once): a lease
    // of 5 s renewed every 150 ms is lost only if the renewal loop and the server stall for more than 4.8 s.
    private static readonly TimeSpan RenewedLease = TimeSpan.FromSeconds(5);
    private static readonly RedisLockOptions FrequentRenewal = new() { RenewalInterval = TimeSpan.FromMilliseconds(150) };

    [Fact]
    public async Task Renewal_keeps_a_spin_acquired_lock_past_its_timeout()
    {
        var key = Key();
        await using var holder = new RedisDistributedLock(Db, key, timeout: RenewedLease, options: FrequentRenewal);
        await holder.SpinAcquireAsync(Ct);

        await LockTestHelpers.HoldsForAsync(RenewedLease * 2, async () =>
        {
            Assert.Equal(holder.LockValue, await Db.GetAsync(key, Ct));
            Assert.False(holder.HandleLost.IsCancellationRequested);
        });
        Assert.True(holder.IsHeld);
    }

    [Fact]
    public async Task Without_renewal_the_seed_acquire_keeps_its_fixed_lease_and_reports_the_end_as_lost()
    {
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, timeout: ShortLease);
        Assert.True(await holder.AcquireAsync(Ct));
        var lost = holder.HandleLost;

        await LockTestHelpers.WhenCancelledAsync(TimeSpan.FromSeconds(10), lost);
        await LockTestHelpers.UntilAsync(async () => await Db.ExistAsync(key, Ct) == false, TimeSpan.FromSeconds(5), "the lease to expire");
    }

    [Fact]
    public async Task Renewal_can_be_turned_on_for_acquire_and_off_for_spin_acquire()
    {
        var always = new RedisLockOptions { Renewal = LeaseRenewal.Always, RenewalInterval = FrequentRenewal.RenewalInterval };
        await using var renewed = new RedisDistributedLock(Db, Key("a"), timeout: RenewedLease, options: always);
        Assert.True(await renewed.AcquireAsync(Ct));

        var never = new RedisLockOptions { Renewal = LeaseRenewal.Never };
        var fixedLease = new RedisDistributedLock(Db, Key("b"), timeout: ShortLease, options: never);
        await fixedLease.SpinAcquireAsync(Ct);

        var started = System.Diagnostics.Stopwatch.StartNew();
        await LockTestHelpers.UntilAsync(async () => await Db.ExistAsync(fixedLease.LockKey, Ct) == false, TimeSpan.FromSeconds(5), "the unrenewed lease to expire");
        await LockTestHelpers.HoldsForAsync(RenewedLease * 2 - started.Elapsed, async () => Assert.True(await Db.ExistAsync(renewed.LockKey, Ct)));
        Assert.Equal(renewed.LockValue, await Db.GetAsync(renewed.LockKey, Ct));
    }

    [Fact]
    public async Task HandleLost_fires_when_the_key_is_deleted_externally()
    {
        var key = Key();
        await using var holder = new RedisDistributedLock(Db, key, timeout: ShortLease);
        await holder.SpinAcquireAsync(Ct);
        var lost = holder.HandleLost;
        Assert.False(lost.IsCancellationRequested);

        Assert.True(await Db.DeleteAsync(key, Ct));
        await LockTestHelpers.WhenCancelledAsync(TimeSpan.FromSeconds(10), lost);
        Assert.False(holder.IsHeld);
    }

    [Fact]
    public async Task HandleLost_fires_when_the_key_is_changed_externally_and_the_new_value_is_not_extended_or_deleted()
    {
        var key = Key();
        var holder = new RedisDistributedLock(Db, key, timeout: ShortLease);
        await holder.SpinAcquireAsync(Ct);
        var lost = holder.HandleLost;

        Assert.True(await Db.SetAsync(key, "someone-else", 30, Ct));
        await LockTestHelpers.WhenCancelledAsync(TimeSpan.FromSeconds(10), lost);

        await holder.ReleaseAsync();
        Assert.Equal("someone-else", await Db.GetAsync(key, Ct));
    }

    [Fact]
    public async Task A_lock_dropped_without_release_stops_being_renewed_and_expires()
    {
        var key = Key();
        await AcquireAndDropAsync(Db, key);
        await LockTestHelpers.UntilAsync(async () =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return await Db.ExistAsync(key, Ct) == false;
        }, TimeSpan.FromSeconds(15), "the abandoned lock to expire");
    }

    [Fact]
    public async Task One_failed_renewal_does_not_fire_HandleLost_but_failures_until_the_lease_ends_do()
    {
        // A private server: its scripts are made to fail (NOPERM), which would disturb other tests.
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        using var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, Db = 0 }, loggerFactory, Ct);
        var options = new RedisLockOptions { RenewalInterval = TimeSpan.FromMilliseconds(150) };
        var lease = RenewedLease;
        await using var holder = new RedisDistributedLock(db, "job-lock", timeout: lease, options: options);
        await holder.SpinAcquireAsync(Ct);
        var lost = holder.HandleLost;

        // Renewals fail (the user may no longer run scripts) until one failure has been seen, then succeed again.
        await server.SendRawAsync(Ct, "ACL", "SETUSER", "default", "-evalsha", "-eval");
        await LockTestHelpers.UntilAsync(() => Task.FromResult(logs.AllText().Contains("Renewing the lock 'job-lock' failed", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "a failed renewal");
        await server.SendRawAsync(Ct, "ACL", "SETUSER", "default", "+@all");

        await LockTestHelpers.HoldsForAsync(lease * 2, async () =>
        {
            Assert.False(lost.IsCancellationRequested);
            Assert.Equal(holder.LockValue, await db.GetAsync("job-lock", Ct));
        });

        // Now renewals keep failing: the lock is declared lost once the last confirmed lease has run out.
        await server.SendRawAsync(Ct, "ACL", "SETUSER", "default", "-evalsha", "-eval");
        await LockTestHelpers.WhenCancelledAsync(TimeSpan.FromSeconds(15), lost);
        await server.SendRawAsync(Ct, "ACL", "SETUSER", "default", "+@all");
        Assert.Contains("no renewal succeeded before the lease ran out", logs.AllText(), StringComparison.Ordinal);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task AcquireAndDropAsync(RedisDb db, string key)
    {
        var abandoned = new RedisDistributedLock(db, key, timeout: ShortLease);
        await abandoned.SpinAcquireAsync(TestContext.Current.CancellationToken);
        Assert.True(abandoned.IsHeld);
    }
}
