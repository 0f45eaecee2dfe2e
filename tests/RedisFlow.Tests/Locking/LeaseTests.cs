using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using RedisFlow.Embedded;
using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Locking;

/// <summary>
/// The lease cases that need the standalone server to themselves (a private server whose ACL is changed, a lock
/// object left to the garbage collector); the rest run on every topology in <see cref="LockLeaseTestCases"/>.
/// </summary>
public sealed class LeaseTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(600);

    // Must survive scheduling stalls on a loaded 2-core machine (CI lost a 2 s lease once): a lease of 5 s renewed
    // every 150 ms is lost only if the renewal loop and the server stall for more than 4.8 s.
    private static readonly TimeSpan RenewedLease = TimeSpan.FromSeconds(5);

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
        using var logs = new CapturingLoggerFactory();
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
