using System.Security.Cryptography;
using RedisFlow.CacheServer.Storage;
using RedisFlow.SampleData;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Storage;

/// <summary>
/// What every storage must do for the daemon, against a real store or emulator: bytes read back equal, large objects
/// stream with their length, missing objects and buckets are <see cref="StorageObjectNotFoundException"/>.
/// Written once; each storage is a one-line subclass.
/// </summary>
public abstract class FileStorageTests(IFileStorageFixture stores)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("a.pdf", 1)]
    [InlineData("report 2024 (final).docx", 10_000)]
    [InlineData("数据/文件.txt", 777)]
    [InlineData("empty.txt", 0)]
    public async Task Reads_back_the_stored_bytes(string location, int size)
    {
        await using var store = await stores.CreateStoreAsync(Ct);
        var bucket = RagflowRows.NewId();
        var bytes = RandomNumberGenerator.GetBytes(size);
        await store.UploadAsync(bucket, location, new MemoryStream(bytes), Ct);

        await using var file = await store.Storage.OpenReadAsync(bucket, location, Ct);
        using var copy = new MemoryStream();
        await file.Content.CopyToAsync(copy, Ct);

        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(size, file.Length);
    }

    [Fact]
    public async Task A_large_object_streams_with_its_length_known_up_front()
    {
        const int size = 24 * 1024 * 1024;
        await using var store = await stores.CreateStoreAsync(Ct);
        var bucket = RagflowRows.NewId();
        var bytes = RandomNumberGenerator.GetBytes(size);
        await store.UploadAsync(bucket, "big.bin", new MemoryStream(bytes), Ct);

        await using var file = await store.Storage.OpenReadAsync(bucket, "big.bin", Ct);
        Assert.Equal(size, file.Length);
        // Read in small pieces, as the daemon does, and hash as we go: no whole copy in memory here.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await file.Content.ReadAsync(buffer, Ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        Assert.Equal(size, total);
        Assert.Equal(SHA256.HashData(bytes), hash.GetHashAndReset());
    }

    [Fact]
    public async Task A_missing_object_is_not_found()
    {
        await using var store = await stores.CreateStoreAsync(Ct);
        var bucket = RagflowRows.NewId();
        await store.UploadAsync(bucket, "present.pdf", new MemoryStream([1, 2, 3]), Ct);

        var error = await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => store.Storage.OpenReadAsync(bucket, "absent.pdf", Ct));

        Assert.Equal(bucket, error.Bucket);
        Assert.Equal("absent.pdf", error.Location);
    }

    [Fact]
    public async Task A_missing_bucket_is_not_found()
    {
        await using var store = await stores.CreateStoreAsync(Ct);
        var bucket = RagflowRows.NewId(); // never uploaded to

        var error = await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => store.Storage.OpenReadAsync(bucket, "any.pdf", Ct));

        Assert.Equal(bucket, error.Bucket);
    }

    [Fact]
    public async Task A_deleted_object_is_not_found()
    {
        await using var store = await stores.CreateStoreAsync(Ct);
        var bucket = RagflowRows.NewId();
        await store.UploadAsync(bucket, "gone.pdf", new MemoryStream([1]), Ct);
        await store.DeleteAsync(bucket, "gone.pdf", Ct);

        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => store.Storage.OpenReadAsync(bucket, "gone.pdf", Ct));
    }
}

public sealed class S3FileStorageTests(S3FileStorageFixture stores) : FileStorageTests(stores);

public sealed class S3SingleBucketFileStorageTests(S3SingleBucketFileStorageFixture stores) : FileStorageTests(stores);

public sealed class AzureBlobFileStorageTests(AzureBlobFileStorageFixture stores) : FileStorageTests(stores);

public sealed class LocalFileStorageContractTests(LocalFileStorageFixture stores) : FileStorageTests(stores), IClassFixture<LocalFileStorageFixture>;
