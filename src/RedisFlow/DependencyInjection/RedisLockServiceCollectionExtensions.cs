using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RedisFlow.Locking;

namespace RedisFlow.DependencyInjection;

/// <summary>Registers the lock provider on the shared <see cref="RedisDb"/>.</summary>
public static class RedisLockServiceCollectionExtensions
{
    /// <summary>Registers one <see cref="RedisLockProvider"/> using the registered <see cref="RedisDb"/> (call <c>AddRedisDb</c> too).</summary>
    public static IServiceCollection AddRedisLockProvider(this IServiceCollection services, RedisLockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new RedisLockProvider(sp.GetRequiredService<RedisDb>(), options));
        return services;
    }
}
