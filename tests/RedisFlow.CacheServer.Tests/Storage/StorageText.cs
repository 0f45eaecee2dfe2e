using RedisFlow.CacheServer.Storage;

namespace RedisFlow.CacheServer.Tests.Storage;

/// <summary>Reads a whole small object as text through the storage under test.</summary>
public static class StorageText
{
    public static async Task<string> ReadAsync(IFileStorage storage, string bucket, string location, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(storage);
        await using var file = await storage.OpenReadAsync(bucket, location, ct);
        using var reader = new StreamReader(file.Content);
        return await reader.ReadToEndAsync(ct);
    }
}
