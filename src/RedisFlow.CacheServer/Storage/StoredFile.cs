namespace RedisFlow.CacheServer.Storage;

/// <summary>An open object: its content stream and, when the storage reports it, its length in bytes.</summary>
public sealed class StoredFile(Stream content, long? length) : IAsyncDisposable
{
    /// <summary>The content, read once from start to end.</summary>
    public Stream Content { get; } = content;

    /// <summary>Size in bytes, if known before reading.</summary>
    public long? Length { get; } = length;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
