using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Providers;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.CacheServer.DependencyInjection;

/// <summary>
/// Registers the file-cache daemon and picks its task source and storage from configuration
/// (<c>TaskSource:Provider</c>, <c>Storage:Provider</c>) among the providers registered with <c>Add…TaskSource()</c>
/// and <c>Add…FileStorage()</c>.
/// </summary>
public static class CacheServerServiceCollectionExtensions
{
    /// <summary>The task-source section name, <c>TaskSource</c>.</summary>
    public const string TaskSourceSection = "TaskSource";

    /// <summary>The task source when <c>TaskSource:Provider</c> is not set, <c>sqlite</c>.</summary>
    public const string DefaultTaskSourceProvider = "sqlite";

    /// <summary>The storage section name, <c>Storage</c>.</summary>
    public const string StorageSection = "Storage";

    /// <summary>
    /// Registers <see cref="CacheOptions"/> (section <c>Cache</c>), the selected <see cref="ITaskSource"/> and
    /// <see cref="IFileStorage"/>, <see cref="CacheCycle"/>, <see cref="CachedFileReader"/> and the hosted
    /// <see cref="CacheDaemon"/>. Needs a <see cref="RedisDb"/> (<c>AddRedisDb</c>). Registers the built-in local
    /// storage; add task sources with their own extension, for example <c>AddSqliteTaskSource()</c>.
    /// </summary>
    /// <remarks>Resolving a service throws <see cref="RedisFlowConfigurationException"/> naming a bad setting.</remarks>
    public static IServiceCollection AddRedisFlowCacheServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLocalFileStorage();
        services.TryAddSingleton(_ =>
        {
            var options = ConfigurationReader.Bind<CacheOptions>(configuration.GetSection(CacheOptions.SectionName));
            options.Validate();
            return options;
        });
        services.TryAddSingleton(sp => sp.GetTaskSourceFactory(configuration).Create(configuration.GetSection(TaskSourceSection), sp));
        services.TryAddSingleton(sp => sp.GetServices<IFileStorageDecorator>().Aggregate(
            ProviderSelector
                .Select(configuration.GetSection(StorageSection), sp.GetServices<IFileStorageFactory>(), f => f.Provider, fallback: LocalFileStorageFactory.ProviderName)
                .Create(configuration.GetSection(StorageSection), sp),
            (storage, decorator) => decorator.Decorate(storage, configuration)));
        services.TryAddSingleton(sp => new CacheCycle(
            sp.GetRequiredService<RedisDb>(),
            sp.GetRequiredService<ITaskSource>(),
            sp.GetRequiredService<IFileStorage>(),
            sp.GetRequiredService<CacheOptions>(),
            sp.GetService<ILogger<CacheCycle>>()));
        services.TryAddSingleton(sp => new CachedFileReader(sp.GetRequiredService<RedisDb>(), sp.GetRequiredService<IFileStorage>()));
        services.TryAddSingleton(sp => new CacheDaemon(sp.GetRequiredService<CacheCycle>(), sp.GetService<ILogger<CacheDaemon>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CacheDaemon>(sp => sp.GetRequiredService<CacheDaemon>()));
        return services;
    }

    /// <summary>
    /// The registered <see cref="ITaskSourceFactory"/> that <c>TaskSource:Provider</c> names (<c>sqlite</c> when
    /// unset): the one <see cref="AddRedisFlowCacheServer"/> builds the task source with, for tools that work on the
    /// task database without running the daemon (<c>redisflow db init</c> creates the tables with it).
    /// </summary>
    /// <exception cref="RedisFlowConfigurationException">No registered factory answers to the provider named.</exception>
    public static ITaskSourceFactory GetTaskSourceFactory(this IServiceProvider services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return ProviderSelector.Select(configuration.GetSection(TaskSourceSection), services.GetServices<ITaskSourceFactory>(), f => f.Provider, fallback: DefaultTaskSourceProvider);
    }

    /// <summary>Makes <c>Storage:Provider = local</c> available (<c>Storage:Root</c> holds <c>&lt;bucket&gt;/&lt;location&gt;</c>).</summary>
    public static IServiceCollection AddLocalFileStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFileStorageFactory, LocalFileStorageFactory>());
        return services;
    }
}
