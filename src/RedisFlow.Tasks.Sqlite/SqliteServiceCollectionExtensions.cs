using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RedisFlow.CacheServer.Providers;

namespace RedisFlow.Tasks.Sqlite;

/// <summary>Registration of the SQLite task source.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>Makes <c>TaskSource:Provider = sqlite</c> available to the file-cache daemon.</summary>
    public static IServiceCollection AddSqliteTaskSource(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaskSourceFactory, SqliteTaskSourceFactory>());
        return services;
    }
}
