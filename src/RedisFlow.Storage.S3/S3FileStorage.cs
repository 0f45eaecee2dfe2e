using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RedisFlow.CacheServer.Storage;

namespace RedisFlow.Storage.S3;

/// <summary>
/// Reads files from S3-compatible storage (MinIO, AWS S3) in RAGFlow's layouts (see <see cref="S3StorageOptions"/>),
/// as a stream straight from the HTTP response, so memory does not grow with the file size.
/// </summary>
public sealed partial class S3FileStorage : IFileStorage, IDisposable
{
    /// <summary>The provider name, <c>s3</c> (the value of <c>Storage:Provider</c>).</summary>
    public const string ProviderName = "s3";

    private readonly AmazonS3Client _client;
    private readonly S3StorageOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the storage; validates <paramref name="options"/> first.</summary>
    /// <exception cref="RedisFlowConfigurationException">A setting is missing or invalid.</exception>
    public S3FileStorage(S3StorageOptions options, ILogger<S3FileStorage>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _client = new AmazonS3Client(CreateCredentials(options), CreateConfig(options));
        Log.Configured(_logger, options);
    }

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <summary>The physical bucket and key that <paramref name="bucket"/> and <paramref name="location"/> map to.</summary>
    public S3ObjectAddress Resolve(string bucket, string location) =>
        S3ObjectAddress.Resolve(_options.Layout, _options.Bucket, _options.Prefix, bucket, location);

    /// <inheritdoc />
    /// <exception cref="StorageUnavailableException">The endpoint is unreachable, refuses the credentials or fails.</exception>
    public async Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentException.ThrowIfNullOrEmpty(location);
        var address = Resolve(bucket, location);
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = address.BucketName, Key = address.Key }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (IsNotFound(ex))
        {
            Log.NotFound(_logger, address.BucketName, address.Key, ex.ErrorCode);
            throw new StorageObjectNotFoundException(bucket, location, ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new StorageUnavailableException(ProviderName, bucket, location, $"access denied ({ex.ErrorCode}); check Storage:AccessKey and Storage:SecretKey and the bucket policy.", ex);
        }
        catch (AmazonServiceException ex)
        {
            throw new StorageUnavailableException(ProviderName, bucket, location, Describe(ex), ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new StorageUnavailableException(ProviderName, bucket, location, $"the endpoint did not answer ({ex.GetType().Name}); check Storage:Endpoint and that the server is running.", ex);
        }

        return new StoredFile(new S3ResponseStream(response, _options.Timeout), response.ContentLength >= 0 ? response.ContentLength : null);
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static bool IsNotFound(AmazonS3Exception ex) =>
        ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode is "NoSuchKey" or "NoSuchBucket";

    private static string Describe(AmazonServiceException ex) =>
        ex.StatusCode == 0
            ? $"the endpoint did not answer ({ex.InnerException?.GetType().Name ?? ex.GetType().Name}); check Storage:Endpoint and that the server is running."
            : $"the server answered {(int)ex.StatusCode} {ex.ErrorCode}: {ex.Message}";

    private static AWSCredentials CreateCredentials(S3StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.AccessKey)
            ? new AnonymousAWSCredentials()
            : new BasicAWSCredentials(options.AccessKey, options.SecretKey);

    private static AmazonS3Config CreateConfig(S3StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            MaxErrorRetry = options.MaxRetries,
            Timeout = options.Timeout,
            // S3-compatible servers often lack the SDK's newer default checksums; checksums only where S3 requires them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var region = string.IsNullOrWhiteSpace(options.Region) ? "us-east-1" : options.Region;
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = options.Endpoint;
            config.AuthenticationRegion = region;
        }

        return config;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5100, EventName = "S3StorageConfigured", Level = LogLevel.Information, Message = "S3 storage: {Settings}")]
        public static partial void Configured(ILogger logger, S3StorageOptions settings);

        [LoggerMessage(EventId = 5101, EventName = "S3ObjectNotFound", Level = LogLevel.Debug, Message = "S3 object {BucketName}/{Key} not found ({ErrorCode})")]
        public static partial void NotFound(ILogger logger, string bucketName, string key, string errorCode);
    }
}
