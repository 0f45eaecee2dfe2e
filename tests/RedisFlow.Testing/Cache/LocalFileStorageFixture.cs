using RedisFlow.CacheServer.Storage;

namespace RedisFlow.Testing.Cache;

/// <summary>Local-folder stores: one fresh root folder per test under a temp folder removed at the end.</summary>
public sealed class LocalFileStorageFixture : IFileStorageFixture, IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("redisflow-files-").FullName;

    /// <inheritdoc />
    public string Provider => LocalFileStorageFactory.ProviderName;

    /// <inheritdoc />
    public Task<ITestFileStore> CreateStoreAsync(CancellationToken ct)
    {
        var root = Directory.CreateDirectory(Path.Combine(_folder, Guid.NewGuid().ToString("N"))).FullName;
        return Task.FromResult<ITestFileStore>(new Store(new LocalFileStorage(root)));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Still open somewhere; the OS cleans temp folders.
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Store(LocalFileStorage storage) : ITestFileStore
    {
        public IFileStorage Storage => storage;

        public IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = LocalFileStorageFactory.ProviderName,
            ["Storage:Root"] = storage.Root,
        };

        public async Task UploadAsync(string bucket, string location, Stream content, CancellationToken ct)
        {
            var path = storage.PathOf(bucket, location);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, ct).ConfigureAwait(false);
            }
        }

        public Task DeleteAsync(string bucket, string location, CancellationToken ct)
        {
            File.Delete(storage.PathOf(bucket, location));
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            try
            {
                Directory.Delete(storage.Root, recursive: true);
            }
            catch (IOException)
            {
                // Still open; removed with the fixture folder.
            }

            return ValueTask.CompletedTask;
        }
    }
}
