using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RedisFlow.CacheServer.Providers;

namespace RedisFlow.Storage.S3;

/// <summary>Registration of the storage provider.</summary>
public static class S3ServiceCollectionExtensions
{
    /// <summary>Makes <c>Storage:Provider = s3</c> available to the file-cache daemon.</summary>
    public static IServiceCollection AddS3FileStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFileStorageFactory, S3FileStorageFactory>());
        return services;
    }
}
