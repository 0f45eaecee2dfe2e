using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RedisFlow.CacheServer.Storage;

namespace RedisFlow.Storage.Encryption;

/// <summary>Registers RAGFlow's storage decryption for the file-cache daemon.</summary>
public static class EncryptionServiceCollectionExtensions
{
    /// <summary>
    /// Decrypts what the selected storage returns when <c>Storage:Encryption:Enabled</c> (or RAGFlow's
    /// <c>RAGFLOW_CRYPTO_ENABLED</c>) is true; otherwise the storage is used as is.
    /// </summary>
    public static IServiceCollection AddRagflowStorageEncryption(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFileStorageDecorator, RagflowDecryptionDecorator>());
        return services;
    }

    private sealed class RagflowDecryptionDecorator : IFileStorageDecorator
    {
        public IFileStorage Decorate(IFileStorage storage, IConfiguration configuration)
        {
            var options = RagflowCryptoOptions.From(configuration);
            return options.Enabled ? new EncryptedFileStorage(storage, options) : storage;
        }
    }
}
