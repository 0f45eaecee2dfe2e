namespace RedisFlow.CacheServer.Storage;

/// <summary>Object storage the daemon copies files from (RAGFlow's <c>STORAGE_IMPL</c>), read as a stream.</summary>
public interface IFileStorage
{
    /// <summary>Provider name for logs and metrics, for example <c>local</c>, <c>s3</c>, <c>azure</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Opens <paramref name="location"/> in <paramref name="bucket"/> for reading (RAGFlow's <c>STORAGE_IMPL.get(bucket, location)</c>).
    /// </summary>
    /// <exception cref="StorageObjectNotFoundException">The bucket or the object does not exist.</exception>
    Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct);
}
