using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Providers;
using RedisFlow.CacheServer.Storage;

namespace RedisFlow.Storage.S3;

/// <summary><c>Storage:Provider = s3</c>: a <see cref="S3FileStorage"/> on the <c>Storage</c> section (see <see cref="S3StorageOptions"/>).</summary>
public sealed class S3FileStorageFactory : IFileStorageFactory
{
    /// <inheritdoc />
    public string Provider => S3FileStorage.ProviderName;

    /// <inheritdoc />
    public IFileStorage Create(IConfigurationSection section, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = ConfigurationReader.Bind<S3StorageOptions>(section);
        options.Validate(section.Path);
        return new S3FileStorage(options, services?.GetService<ILogger<S3FileStorage>>());
    }
}
