using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Providers;
using RedisFlow.CacheServer.Storage;

namespace RedisFlow.Storage.Azure;

/// <summary><c>Storage:Provider = azure</c>: a <see cref="AzureBlobFileStorage"/> on the <c>Storage</c> section (see <see cref="AzureBlobStorageOptions"/>).</summary>
public sealed class AzureBlobFileStorageFactory : IFileStorageFactory
{
    /// <inheritdoc />
    public string Provider => AzureBlobFileStorage.ProviderName;

    /// <inheritdoc />
    public IFileStorage Create(IConfigurationSection section, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = ConfigurationReader.Bind<AzureBlobStorageOptions>(section);
        options.Validate(section.Path);
        return new AzureBlobFileStorage(options, services?.GetService<ILogger<AzureBlobFileStorage>>());
    }
}
