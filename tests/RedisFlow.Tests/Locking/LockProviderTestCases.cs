using System.Diagnostics;
using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Locking;

/// <summary>The provider and its disposable handles, run on every topology by the one-line subclasses at the end.</summary>
public abstract class LockProviderTestCases(IRedisTopology topology) : TopologyTestBase(topology)
{
    [Fact]
    public async Task TryAcquire_returns_a_handle_that_releases_on_dispose_and_null_while_held()
    {
        var provider = new RedisLockProvider(Db);
        var key = Key();
        var handle = await provider.TryAcquireAsync(key, timeout: TimeSpan.FromMinutes(1), ct: Ct);
        Assert.NotNull(handle);
        Assert.True(handle.FencingToken > 0);
        Assert.False(handle.HandleLost.IsCancellationRequested);

        Assert.Null(await provider.TryAcquireAsync(key, TimeSpan.FromMilliseconds(200), ct: Ct));
        await Assert.ThrowsAsync<TimeoutException>(() => provider.AcquireAsync(key, TimeSpan.FromMilliseconds(100), ct: Ct));

        await handle.DisposeAsync();
        await handle.DisposeAsync();
        Assert.False(await Db.ExistAsync(key, Ct));

        await using var next = await provider.AcquireAsync(key, TimeSpan.FromSeconds(30), ct: Ct);
        Assert.True(next.FencingToken > handle.FencingToken);
    }

    [Fact]
    public async Task A_waiting_AcquireAsync_gets_the_handle_when_the_holder_disposes_its_own()
    {
        var provider = new RedisLockProvider(Db);
        var key = Key();
        var first = await provider.AcquireAsync(key, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), Ct);
        var waiting = provider.AcquireAsync(key, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(1), Ct);
        Assert.False(waiting.IsCompleted);

        await first.DisposeAsync();
        await using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.True(second.FencingToken > first.FencingToken);
        Assert.True(await Db.ExistAsync(key, Ct));
    }

    [Fact]
    public async Task Handles_renew_their_lease_while_held()
    {
        var provider = new RedisLockProvider(Db, new RedisLockOptions { RenewalInterval = TimeSpan.FromSeconds(1) });
        var key = Key();
        var lease = TimeSpan.FromSeconds(6);
        var acquired = Stopwatch.StartNew();
        await using var handle = await provider.AcquireAsync(key, TimeSpan.FromSeconds(30), lease, Ct);

        // A stalled test only shortens the watch: the last check, past the lease, still needs a renewal to pass.
        await LockTestHelpers.HoldsForAsync(lease + TimeSpan.FromSeconds(2) - acquired.Elapsed, async () => Assert.True(await Db.ExistAsync(key, Ct)));
        Assert.True(await Db.ExistAsync(key, Ct));
        Assert.False(handle.HandleLost.IsCancellationRequested);
    }

    [Fact]
    public async Task CreateLock_gives_a_seed_style_lock_with_the_providers_options()
    {
        var provider = new RedisLockProvider(Db);
        var key = Key();
        var seedStyle = provider.CreateLock(key, "me", blockingTimeout: TimeSpan.Zero);
        Assert.True(await seedStyle.AcquireAsync(Ct));
        Assert.Equal("me", await Db.GetAsync(key, Ct));
        Assert.False(await provider.CreateLock(key, "you", blockingTimeout: TimeSpan.Zero).AcquireAsync(Ct));
        await seedStyle.ReleaseAsync();
        Assert.False(await Db.ExistAsync(key, Ct));
    }
}

public sealed class StandaloneLockProviderTests(RedisFixture fixture) : LockProviderTestCases(fixture);

public sealed class ClusterLockProviderTests(ClusterFixture fixture) : LockProviderTestCases(fixture);
