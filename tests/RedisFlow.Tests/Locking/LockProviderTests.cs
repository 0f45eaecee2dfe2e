using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using RedisFlow.DependencyInjection;
using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Locking;

/// <summary>The provider and disposable-handle API.</summary>
public sealed class LockProviderTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    [Fact]
    public async Task TryAcquire_returns_a_handle_that_releases_on_dispose_and_null_while_held()
    {
        var provider = new RedisLockProvider(Db);
        var key = Key();
        var handle = await provider.TryAcquireAsync(key, ct: Ct);
        Assert.NotNull(handle);
        Assert.True(handle.FencingToken > 0);
        Assert.False(handle.HandleLost.IsCancellationRequested);

        Assert.Null(await provider.TryAcquireAsync(key, TimeSpan.FromMilliseconds(100), ct: Ct));
        await Assert.ThrowsAsync<TimeoutException>(() => provider.AcquireAsync(key, TimeSpan.FromMilliseconds(50), ct: Ct));

        await handle.DisposeAsync();
        await handle.DisposeAsync();
        Assert.False(await Db.ExistAsync(key, Ct));

        await using var next = await provider.AcquireAsync(key, ct: Ct);
        Assert.True(next.FencingToken > handle.FencingToken);
    }

    [Fact]
    public async Task Handles_renew_their_lease_while_held()
    {
        using var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var db = await RedisDb.ConnectAsync(Fixture.Options(), loggerFactory, Ct);
        var provider = new RedisLockProvider(db, new RedisLockOptions { RenewalInterval = TimeSpan.FromMilliseconds(150) });
        var key = Key();
        var lease = TimeSpan.FromSeconds(5); // long enough to survive a CPU-starved CI machine
        await using var handle = await provider.AcquireAsync(key, timeout: lease, ct: Ct);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await LockTestHelpers.HoldsForAsync(lease * 2, async () => Assert.True(await Db.ExistAsync(key, Ct), $"gone after {watch.Elapsed}; logs: {logs.AllText()}"));
        Assert.False(handle.HandleLost.IsCancellationRequested);
    }

    [Fact]
    public async Task The_provider_is_registered_once_on_the_shared_RedisDb()
    {
        var services = new ServiceCollection();
        services.AddRedisDb(o => { o.Host = Fixture.Server.Endpoint; o.Db = 1; });
        services.AddRedisLockProvider();
        await using var sp = services.BuildServiceProvider();
        var provider = sp.GetRequiredService<RedisLockProvider>();
        Assert.Same(provider, sp.GetRequiredService<RedisLockProvider>());

        var key = Key();
        var seedStyle = provider.CreateLock(key, "me", blockingTimeout: TimeSpan.Zero);
        Assert.True(await seedStyle.AcquireAsync(Ct));
        Assert.Equal("me", await Db.GetAsync(key, Ct));
        await seedStyle.ReleaseAsync();
    }
}
