using Microsoft.Extensions.DependencyInjection;
using RedisFlow.CacheServer.DependencyInjection;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary>The task sources and storages the CLI offers: one line per provider (plus its project reference).</summary>
internal static class CacheProviders
{
    public static IServiceCollection AddCacheProviders(this IServiceCollection services)
    {
        services.AddSqliteTaskSource();
        services.AddLocalFileStorage();
        return services;
    }
}
