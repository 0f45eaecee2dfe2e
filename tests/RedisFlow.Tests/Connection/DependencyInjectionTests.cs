using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RedisFlow.DependencyInjection;
using RedisFlow.Diagnostics;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Connection;

public sealed class DependencyInjectionTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    [Fact]
    public async Task AddRedisDb_registers_one_shared_instance_that_works()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRedisDb(o => { o.Host = Fixture.Server.Endpoint; o.Db = 2; });
        services.AddHealthChecks().AddRedisDb();
        await using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<RedisDb>();
        Assert.Same(first, provider.GetRequiredService<RedisDb>());
        var key = Key();
        Assert.True(await first.SetAsync(key, "v", 30, Ct));
        Assert.Equal("v", await first.GetAsync(key, Ct));
        Assert.Null(await Db.GetAsync(key, Ct)); // the fixture's RedisDb uses database 1

        var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }
}
