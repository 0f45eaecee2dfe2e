using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RedisFlow.CacheServer.Storage;

namespace RedisFlow.Storage.Azure;

/// <summary>
/// Reads files from one Azure Blob container in RAGFlow's layout (see <see cref="AzureBlobStorageOptions"/>), as a
/// stream straight from the HTTP response, so memory does not grow with the file size.
/// </summary>
public sealed partial class AzureBlobFileStorage : IFileStorage
{
    /// <summary>The provider name, <c>azure</c> (the value of <c>Storage:Provider</c>).</summary>
    public const string ProviderName = "azure";

    private readonly BlobContainerClient _container;
    private readonly AzureBlobStorageOptions _options;
    private readonly ILogger _logger;
    private readonly string _containerAddress;
    private readonly string _secretSetting;
    private readonly string _endpointSetting;

    /// <summary>Creates the storage; validates <paramref name="options"/> first. Makes no request yet.</summary>
    /// <exception cref="RedisFlowConfigurationException">A setting is missing or invalid.</exception>
    public AzureBlobFileStorage(AzureBlobStorageOptions options, ILogger<AzureBlobFileStorage>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.NetworkTimeout = options.Timeout;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        _secretSetting = options.UsesSas ? "Storage:SasToken" : "Storage:ConnectionString";
        _endpointSetting = options.UsesSas ? "Storage:ContainerUrl" : "Storage:ConnectionString";
        try
        {
            _container = options.UsesSas
                ? new BlobContainerClient(new Uri(options.ContainerUrl!), new AzureSasCredential(options.SasToken!.TrimStart('?')), clientOptions)
                : new BlobServiceClient(options.ConnectionString, clientOptions).GetBlobContainerClient(options.Container);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message does not echo the string, but its inner details might; keep only the type.
            throw new RedisFlowConfigurationException("Storage:ConnectionString", $"is not a valid Azure Storage connection string ({ex.GetType().Name}).");
        }

        // Without the query: a SAS token there is a secret.
        _containerAddress = _container.Uri.GetLeftPart(UriPartial.Path);
        Log.Configured(_logger, _containerAddress, options);
    }

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <summary>The container client, for tools that upload or list.</summary>
    public BlobContainerClient Container => _container;

    /// <summary>The blob name that <paramref name="bucket"/> and <paramref name="location"/> map to.</summary>
    public string BlobName(string bucket, string location) => _options.BlobName(bucket, location);

    /// <inheritdoc />
    /// <exception cref="StorageUnavailableException">The endpoint is unreachable, refuses the credentials or fails.</exception>
    public async Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentException.ThrowIfNullOrEmpty(location);
        var name = BlobName(bucket, location);
        try
        {
            var response = await _container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: ct).ConfigureAwait(false);
            var result = response.Value;
            return new StoredFile(result.Content, result.Details.ContentLength);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 || ex.ErrorCode == BlobErrorCode.BlobNotFound || ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            Log.NotFound(_logger, _options.Container!, name, ex.ErrorCode);
            throw new StorageObjectNotFoundException(bucket, location, ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 403)
        {
            throw new StorageUnavailableException(ProviderName, bucket, location, $"access denied ({ex.ErrorCode}); check the credentials in {_secretSetting}.", ex);
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            throw new StorageUnavailableException(ProviderName, bucket, location, $"the server answered {ex.Status} {ex.ErrorCode}.", ex);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException or IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new StorageUnavailableException(ProviderName, bucket, location, $"the endpoint did not answer ({ex.GetType().Name}); check the endpoint in {_endpointSetting} and that the service is running.", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5200, EventName = "AzureStorageConfigured", Level = LogLevel.Information, Message = "Azure Blob storage: {ContainerUri} ({Settings})")]
        public static partial void Configured(ILogger logger, string containerUri, AzureBlobStorageOptions settings);

        [LoggerMessage(EventId = 5201, EventName = "AzureBlobNotFound", Level = LogLevel.Debug, Message = "Azure blob {Container}/{BlobName} not found ({ErrorCode})")]
        public static partial void NotFound(ILogger logger, string container, string blobName, string? errorCode);
    }
}
