using Microsoft.Extensions.Configuration;

namespace RedisFlow.CacheServer.Providers;

/// <summary>
/// Builds the <see cref="Storage.IFileStorage"/> named by <c>Storage:Provider</c>. One implementation per provider
/// project (local, s3, azure), registered with one line such as <c>services.AddLocalFileStorage()</c>.
/// </summary>
public interface IFileStorageFactory
{
    /// <summary>The value of <c>Storage:Provider</c> this factory answers to (compared case-insensitively).</summary>
    string Provider { get; }

    /// <summary>Creates the storage from the <c>Storage</c> configuration section (for example <c>Root</c>, <c>Endpoint</c>, <c>Bucket</c>).</summary>
    /// <exception cref="RedisFlowConfigurationException">A setting is missing or invalid; the message names it, for example <c>Storage:Root</c>.</exception>
    Storage.IFileStorage Create(IConfigurationSection section, IServiceProvider services);
}
