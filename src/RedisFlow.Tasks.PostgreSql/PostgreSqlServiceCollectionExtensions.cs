using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RedisFlow.CacheServer.Providers;

namespace RedisFlow.Tasks.PostgreSql;

/// <summary>Registration of the PostgreSQL task source.</summary>
public static class PostgreSqlServiceCollectionExtensions
{
    /// <summary>Makes <c>TaskSource:Provider = postgres</c> available to the file-cache daemon.</summary>
    public static IServiceCollection AddPostgreSqlTaskSource(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaskSourceFactory, PostgreSqlTaskSourceFactory>());
        return services;
    }
}
