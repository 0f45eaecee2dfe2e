using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using RedisFlow.CacheServer.Storage;
using RedisFlow.Storage.S3;
using RedisFlow.Testing.Servers;

namespace RedisFlow.Testing.Cache;

/// <summary>
/// S3 stores on one real s3rver emulator (started on first use), in RAGFlow's MinIO layout: a bucket per bucket id,
/// the object key is the location. Tests use fresh bucket ids, so stores do not see each other's objects.
/// </summary>
public class S3FileStorageFixture : IFileStorageFixture, IAsyncDisposable
{
    private readonly LazyServer<S3rverEmulator> _emulator = new(S3rverEmulator.StartAsync);

    /// <inheritdoc />
    public string Provider => S3FileStorage.ProviderName;

    /// <summary>The emulator, started on first use.</summary>
    public Task<S3rverEmulator> EmulatorAsync(CancellationToken ct) => _emulator.GetAsync(ct);

    /// <summary>Options for the emulator in this fixture's layout (<see cref="S3SingleBucketFileStorageFixture"/> adds a bucket and prefix).</summary>
    public virtual S3StorageOptions OptionsFor(S3rverEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return new()
        {
            Endpoint = emulator.Endpoint,
            AccessKey = S3rverEmulator.AccessKey,
            SecretKey = S3rverEmulator.SecretKey,
            ForcePathStyle = true,
            MaxRetries = 0,
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>A plain SDK client on the emulator, for uploads and checks independent of the storage under test.</summary>
    public static AmazonS3Client AdminClient(S3rverEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return new AmazonS3Client(
            new BasicAWSCredentials(S3rverEmulator.AccessKey, S3rverEmulator.SecretKey),
            new AmazonS3Config
            {
                ServiceURL = emulator.Endpoint,
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });
    }

    /// <summary>Creates <paramref name="bucket"/> unless it exists.</summary>
    public static async Task EnsureBucketAsync(IAmazonS3 client, string bucket, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Made by an earlier upload of the same test.
        }
    }

    /// <summary>
    /// Uploads with plain (not aws-chunked) payload signing: s3rver stores aws-chunked bodies with their chunk
    /// signatures in them, as some other S3-compatible servers do.
    /// </summary>
    public static Task PutAsync(IAmazonS3 client, string bucket, string key, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = content, AutoCloseStream = false, UseChunkEncoding = false }, ct);
    }

    /// <summary>Uploads <paramref name="text"/> as UTF-8 (see <see cref="PutAsync(IAmazonS3, string, string, Stream, CancellationToken)"/>).</summary>
    public static async Task PutAsync(IAmazonS3 client, string bucket, string key, string text, CancellationToken ct)
    {
        using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        await PutAsync(client, bucket, key, content, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ITestFileStore> CreateStoreAsync(CancellationToken ct)
    {
        var emulator = await _emulator.GetAsync(ct).ConfigureAwait(false);
        var options = OptionsFor(emulator);
        var admin = AdminClient(emulator);
        if (!string.IsNullOrEmpty(options.Bucket))
        {
            await EnsureBucketAsync(admin, options.Bucket, ct).ConfigureAwait(false);
        }

        return new Store(new S3FileStorage(options), options, admin);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _emulator.DisposeAsync();
    }

    private sealed class Store(S3FileStorage storage, S3StorageOptions options, AmazonS3Client admin) : ITestFileStore
    {
        private readonly ConcurrentDictionary<S3ObjectAddress, byte> _uploaded = new();

        public IFileStorage Storage => storage;

        public IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = S3FileStorage.ProviderName,
            ["Storage:Endpoint"] = options.Endpoint,
            ["Storage:AccessKey"] = options.AccessKey,
            ["Storage:SecretKey"] = options.SecretKey,
            ["Storage:Bucket"] = options.Bucket,
            ["Storage:Prefix"] = options.Prefix,
            ["Storage:ForcePathStyle"] = "true",
        };

        public async Task UploadAsync(string bucket, string location, Stream content, CancellationToken ct)
        {
            var address = storage.Resolve(bucket, location);
            await EnsureBucketAsync(admin, address.BucketName, ct).ConfigureAwait(false);
            // The SDK needs the length up front: buffer a stream that cannot seek.
            var body = content;
            if (!content.CanSeek)
            {
                body = new MemoryStream();
                await content.CopyToAsync(body, ct).ConfigureAwait(false);
                body.Position = 0;
            }

            await PutAsync(admin, address.BucketName, address.Key, body, ct).ConfigureAwait(false);
            _uploaded[address] = 0;
        }

        public async Task DeleteAsync(string bucket, string location, CancellationToken ct)
        {
            var address = storage.Resolve(bucket, location);
            try
            {
                await admin.DeleteObjectAsync(address.BucketName, address.Key, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket")
            {
                // Nothing to delete.
            }

            _uploaded.TryRemove(address, out _);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var address in _uploaded.Keys)
            {
                await admin.DeleteObjectAsync(address.BucketName, address.Key).ConfigureAwait(false);
            }

            storage.Dispose();
            admin.Dispose();
        }
    }
}
