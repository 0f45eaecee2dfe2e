using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Providers;

namespace RedisFlow.CacheServer.Storage;

/// <summary><c>Storage:Provider = local</c>: a <see cref="LocalFileStorage"/> on <c>Storage:Root</c>.</summary>
public sealed class LocalFileStorageFactory : IFileStorageFactory
{
    /// <summary>The provider name, <c>local</c>.</summary>
    public const string ProviderName = "local";

    /// <inheritdoc />
    public string Provider => ProviderName;

    /// <inheritdoc />
    public IFileStorage Create(IConfigurationSection section, IServiceProvider services)
    {
        var root = ConfigurationReader.Required(section, "Root", "give the folder that holds <bucket>/<location> files, for example ./files.");
        try
        {
            return new LocalFileStorage(root);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RedisFlowConfigurationException($"{section.Path}:Root", $"is not a usable folder path: {ex.Message}", ex);
        }
    }
}
