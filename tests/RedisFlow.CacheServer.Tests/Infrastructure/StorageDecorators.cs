using System.Collections.Concurrent;
using RedisFlow.CacheServer.Storage;

namespace RedisFlow.CacheServer.Tests.Infrastructure;

/// <summary>Wraps a real storage and counts the objects opened, per <c>bucket/location</c>.</summary>
public sealed class CountingFileStorage(IFileStorage inner) : IFileStorage
{
    public ConcurrentDictionary<string, int> Opens { get; } = new(StringComparer.Ordinal);

    public string Name => inner.Name;

    public int TotalOpens => Opens.Values.Sum();

    public Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        Opens.AddOrUpdate($"{bucket}/{location}", 1, (_, n) => n + 1);
        return inner.OpenReadAsync(bucket, location, ct);
    }
}

/// <summary>Wraps a real storage and runs a test action just before each open (delete the object, kill Redis...).</summary>
public sealed class BeforeOpenFileStorage(IFileStorage inner, Func<string, string, CancellationToken, Task> beforeOpen) : IFileStorage
{
    public string Name => inner.Name;

    public async Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        await beforeOpen(bucket, location, ct);
        return await inner.OpenReadAsync(bucket, location, ct);
    }
}
