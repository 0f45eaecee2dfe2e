using Microsoft.Extensions.Configuration;

namespace RedisFlow.CacheServer.Storage;

/// <summary>
/// Wraps the storage selected by <c>Storage:Provider</c>, whatever it is (for example to decrypt what RAGFlow stored
/// encrypted). Registered decorators are applied in registration order.
/// </summary>
public interface IFileStorageDecorator
{
    /// <summary>Answers <paramref name="storage"/> wrapped, or itself when this decorator is not enabled by <paramref name="configuration"/> (the root).</summary>
    IFileStorage Decorate(IFileStorage storage, IConfiguration configuration);
}
