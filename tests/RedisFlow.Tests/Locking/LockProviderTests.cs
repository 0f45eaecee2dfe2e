using Microsoft.Extensions.DependencyInjection;
using RedisFlow.DependencyInjection;
using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Locking;

/// <summary>Dependency injection of the provider (the handle API itself is in <see cref="LockProviderTestCases"/>).</summary>
public sealed class LockProviderTests(RedisFixture fixture) : RedisTestBase(fixture)
{
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
