using Azure.Storage.Blobs;
using RedisFlow.CacheServer.Storage;
using RedisFlow.Storage.Azure;
using RedisFlow.Testing.Servers;

namespace RedisFlow.Testing.Cache;

/// <summary>
/// Azure Blob stores on one real Azurite emulator (started on first use), in RAGFlow's layout: one container per
/// store, blob <c>&lt;bucket&gt;/&lt;location&gt;</c>.
/// </summary>
public sealed class AzureBlobFileStorageFixture : IFileStorageFixture, IAsyncDisposable
{
    private readonly LazyServer<AzuriteEmulator> _emulator = new(AzuriteEmulator.StartAsync);

    /// <inheritdoc />
    public string Provider => AzureBlobFileStorage.ProviderName;

    /// <summary>The emulator, started on first use.</summary>
    public Task<AzuriteEmulator> EmulatorAsync(CancellationToken ct) => _emulator.GetAsync(ct);

    /// <summary>Options for a new container on the emulator (not created).</summary>
    public static AzureBlobStorageOptions OptionsFor(AzuriteEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return new()
        {
            ConnectionString = emulator.ConnectionString(),
            Container = "rf" + Guid.NewGuid().ToString("N"),
            MaxRetries = 0,
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <inheritdoc />
    public async Task<ITestFileStore> CreateStoreAsync(CancellationToken ct)
    {
        var emulator = await _emulator.GetAsync(ct).ConfigureAwait(false);
        var options = OptionsFor(emulator);
        var storage = new AzureBlobFileStorage(options);
        var admin = new BlobServiceClient(options.ConnectionString).GetBlobContainerClient(options.Container);
        await admin.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        return new Store(storage, options, admin);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    private sealed class Store(AzureBlobFileStorage storage, AzureBlobStorageOptions options, BlobContainerClient admin) : ITestFileStore
    {
        public IFileStorage Storage => storage;

        public IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = AzureBlobFileStorage.ProviderName,
            ["Storage:ConnectionString"] = options.ConnectionString,
            ["Storage:Container"] = options.Container,
        };

        public async Task UploadAsync(string bucket, string location, Stream content, CancellationToken ct) =>
            await admin.GetBlobClient(storage.BlobName(bucket, location)).UploadAsync(content, overwrite: true, ct).ConfigureAwait(false);

        public async Task DeleteAsync(string bucket, string location, CancellationToken ct) =>
            await admin.GetBlobClient(storage.BlobName(bucket, location)).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);

        public async ValueTask DisposeAsync() => await admin.DeleteIfExistsAsync().ConfigureAwait(false);
    }
}
