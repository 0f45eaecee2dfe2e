using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RedisFlow.CacheServer.Providers;

namespace RedisFlow.Tasks.MySql;

/// <summary>Registration of the MySQL/MariaDB task source.</summary>
public static class MySqlServiceCollectionExtensions
{
    /// <summary>Makes <c>TaskSource:Provider = mysql</c> available to the file-cache daemon.</summary>
    public static IServiceCollection AddMySqlTaskSource(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaskSourceFactory, MySqlTaskSourceFactory>());
        return services;
    }
}
