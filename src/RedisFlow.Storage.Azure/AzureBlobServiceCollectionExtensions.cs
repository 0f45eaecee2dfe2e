using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RedisFlow.CacheServer.Providers;

namespace RedisFlow.Storage.Azure;

/// <summary>Registration of the storage provider.</summary>
public static class AzureBlobServiceCollectionExtensions
{
    /// <summary>Makes <c>Storage:Provider = azure</c> available to the file-cache daemon.</summary>
    public static IServiceCollection AddAzureBlobFileStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFileStorageFactory, AzureBlobFileStorageFactory>());
        return services;
    }
}
