using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.CacheServer;

/// <summary>
/// The read side for downstream code: a file's content from the cache key <c>bucket/location</c>, or from storage
/// when it is not cached (or Redis is down). A miss does not fill the cache; the daemon does that.
/// </summary>
public sealed class CachedFileReader(RedisDb db, IFileStorage storage)
{
    /// <summary>The whole file: from Redis when cached, else read from storage.</summary>
    /// <exception cref="StorageObjectNotFoundException">Not cached and not in storage.</exception>
    public async Task<CachedFileContent> ReadAllBytesAsync(string bucket, string location, CancellationToken ct = default)
    {
        var cached = await db.GetBytesAsync(new OngoingDocument(bucket, location).CacheKey, ct).ConfigureAwait(false);
        if (cached is not null)
        {
            return new CachedFileContent(cached, FromCache: true);
        }

        var file = await storage.OpenReadAsync(bucket, location, ct).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            using var copy = file.Length is { } length and <= int.MaxValue ? new MemoryStream((int)length) : new MemoryStream();
            await file.Content.CopyToAsync(copy, ct).ConfigureAwait(false);
            return new CachedFileContent(copy.ToArray(), FromCache: false);
        }
    }

    /// <summary>
    /// The file as a stream: the cached bytes (read in one GET, so a stream never mixes two versions) or, on a miss,
    /// the storage stream itself, read without buffering the file. The caller disposes it.
    /// </summary>
    /// <exception cref="StorageObjectNotFoundException">Not cached and not in storage.</exception>
    public async Task<CachedFileStream> OpenReadAsync(string bucket, string location, CancellationToken ct = default)
    {
        var cached = await db.GetBytesAsync(new OngoingDocument(bucket, location).CacheKey, ct).ConfigureAwait(false);
        if (cached is not null)
        {
            return new CachedFileStream(new MemoryStream(cached, writable: false), cached.Length, FromCache: true);
        }

        var file = await storage.OpenReadAsync(bucket, location, ct).ConfigureAwait(false);
        return new CachedFileStream(file.Content, file.Length, FromCache: false);
    }
}

/// <summary>A file's bytes and where they came from.</summary>
/// <param name="Content">The file's bytes.</param>
/// <param name="FromCache">True when read from Redis, false when read from storage.</param>
public sealed record CachedFileContent(byte[] Content, bool FromCache);

/// <summary>A file's stream, its length when known, and where it comes from. Dispose it.</summary>
/// <param name="Content">The content stream.</param>
/// <param name="Length">Length in bytes, when known.</param>
/// <param name="FromCache">True when served from Redis, false when from storage.</param>
public sealed record CachedFileStream(Stream Content, long? Length, bool FromCache) : IAsyncDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
