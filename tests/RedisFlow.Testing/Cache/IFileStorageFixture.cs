using RedisFlow.CacheServer.Storage;

namespace RedisFlow.Testing.Cache;

/// <summary>
/// A real object store (folder, S3 emulator, Azure emulator) for the cache-daemon tests: hands out fresh, isolated
/// stores (a folder, a bucket prefix, a container) so tests run in parallel. One implementation per provider
/// (local, s3, azure); the shared end-to-end suite runs on each.
/// </summary>
public interface IFileStorageFixture
{
    /// <summary>The <c>Storage:Provider</c> value, for example <c>local</c>.</summary>
    string Provider { get; }

    /// <summary>Creates an empty, isolated store.</summary>
    Task<ITestFileStore> CreateStoreAsync(CancellationToken ct);
}

/// <summary>One isolated store of an <see cref="IFileStorageFixture"/>; disposing removes it.</summary>
public interface ITestFileStore : IAsyncDisposable
{
    /// <summary>The storage the daemon reads, in RAGFlow's layout for this provider.</summary>
    IFileStorage Storage { get; }

    /// <summary>Configuration that selects this store (<c>Storage:Provider</c>, <c>Storage:Root</c>, endpoint, bucket, ...).</summary>
    IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Stores <paramref name="content"/> as <paramref name="location"/> in <paramref name="bucket"/> (creating the bucket when needed).</summary>
    Task UploadAsync(string bucket, string location, Stream content, CancellationToken ct);

    /// <summary>Deletes the object; no error when it is missing.</summary>
    Task DeleteAsync(string bucket, string location, CancellationToken ct);
}
