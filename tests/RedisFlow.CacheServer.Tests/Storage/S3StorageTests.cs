using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.Embedded;
using RedisFlow.SampleData;
using RedisFlow.Storage.S3;
using RedisFlow.Testing.Cache;
using RedisFlow.Testing.Servers;

namespace RedisFlow.CacheServer.Tests.Storage;

/// <summary>S3 storage in RAGFlow's two layouts, its errors and its settings, against a real s3rver emulator.</summary>
public sealed class S3StorageTests(S3FileStorageFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, null, "kb1", "a.pdf", "kb1", "a.pdf")]
    [InlineData(null, "pre", "kb1", "a.pdf", "kb1", "pre/a.pdf")]
    [InlineData("ragflow", null, "kb1", "a.pdf", "ragflow", "kb1/a.pdf")]
    [InlineData("ragflow", "/pre/", "kb1", "dir/a.pdf", "ragflow", "pre/kb1/dir/a.pdf")]
    public void Maps_bucket_and_location_as_ragflow_does(string? singleBucket, string? prefix, string bucket, string location, string physical, string key) =>
        Assert.Equal(new S3ObjectAddress(physical, key), S3ObjectAddress.Resolve(singleBucket, prefix, bucket, location));

    [Fact]
    public async Task Reads_ragflows_default_layout_bucket_per_id_key_is_location()
    {
        var emulator = await fixture.EmulatorAsync(Ct);
        using var admin = S3FileStorageFixture.AdminClient(emulator);
        var bucket = RagflowRows.NewId();
        await S3FileStorageFixture.EnsureBucketAsync(admin, bucket, Ct);
        await S3FileStorageFixture.PutAsync(admin, bucket, "folder/doc.pdf", "default layout", Ct);
        using var storage = new S3FileStorage(fixture.OptionsFor(emulator));

        Assert.Equal("default layout", await StorageText.ReadAsync(storage, bucket, "folder/doc.pdf", Ct));
    }

    [Fact]
    public async Task Reads_ragflows_single_bucket_layout_prefix_then_bucket_id_then_location()
    {
        var emulator = await fixture.EmulatorAsync(Ct);
        using var admin = S3FileStorageFixture.AdminClient(emulator);
        var physical = "rf-" + Guid.NewGuid().ToString("N");
        await S3FileStorageFixture.EnsureBucketAsync(admin, physical, Ct);
        var bucket = RagflowRows.NewId();
        await S3FileStorageFixture.PutAsync(admin, physical, $"tenant-a/{bucket}/doc.pdf", "single bucket", Ct);
        var options = fixture.OptionsFor(emulator);
        options.Bucket = physical;
        options.Prefix = "tenant-a";
        using var storage = new S3FileStorage(options);

        Assert.Equal("single bucket", await StorageText.ReadAsync(storage, bucket, "doc.pdf", Ct));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => storage.OpenReadAsync(RagflowRows.NewId(), "doc.pdf", Ct));
    }

    [Fact]
    public async Task A_missing_single_bucket_is_not_found()
    {
        var emulator = await fixture.EmulatorAsync(Ct);
        var options = fixture.OptionsFor(emulator);
        options.Bucket = "rf-missing-" + Guid.NewGuid().ToString("N")[..8];
        using var storage = new S3FileStorage(options);

        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => storage.OpenReadAsync("kb", "a.pdf", Ct));
    }

    [Fact]
    public async Task Wrong_credentials_give_a_clear_error_without_the_secret()
    {
        var emulator = await fixture.EmulatorAsync(Ct);
        using var admin = S3FileStorageFixture.AdminClient(emulator);
        var bucket = RagflowRows.NewId();
        await S3FileStorageFixture.EnsureBucketAsync(admin, bucket, Ct);
        await S3FileStorageFixture.PutAsync(admin, bucket, "a.pdf", "x", Ct);
        var logs = new CapturingLoggerFactory();
        var options = fixture.OptionsFor(emulator);
        // s3rver refuses an unknown access key id (InvalidAccessKeyId); it does not verify the secret behind a known one.
        options.AccessKey = "WRONG-ACCESS-KEY";
        options.SecretKey = "not-the-secret-7731";
        using var storage = new S3FileStorage(options, logs.CreateLogger<S3FileStorage>());

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.OpenReadAsync(bucket, "a.pdf", Ct));

        Assert.Contains("access denied", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:SecretKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret-7731", error.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(logs.Messages, m => m.Contains("not-the-secret-7731", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_storage_outage_is_an_error_other_than_not_found()
    {
        // A private emulator, killed like a crashed server: the shared one keeps serving the other tests.
        await using var emulator = await S3rverEmulator.StartAsync(Ct);
        var bucket = RagflowRows.NewId();
        using (var admin = S3FileStorageFixture.AdminClient(emulator))
        {
            await S3FileStorageFixture.EnsureBucketAsync(admin, bucket, Ct);
            await S3FileStorageFixture.PutAsync(admin, bucket, "a.pdf", "up", Ct);
        }

        using var storage = new S3FileStorage(fixture.OptionsFor(emulator));
        Assert.Equal("up", await StorageText.ReadAsync(storage, bucket, "a.pdf", Ct));
        await emulator.KillAsync();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.OpenReadAsync(bucket, "a.pdf", Ct));

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(S3rverEmulator.SecretKey + "@", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_is_an_outage()
    {
        var options = new S3StorageOptions { Endpoint = $"http://127.0.0.1:{FreePort.Next()}", AccessKey = "k", SecretKey = "closed-port-secret", MaxRetries = 0 };
        using var storage = new S3FileStorage(options);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.OpenReadAsync("kb", "a.pdf", Ct));

        Assert.DoesNotContain("closed-port-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Endpoint", "not a url", "Storage:Endpoint")]
    [InlineData("Endpoint", "ftp://127.0.0.1", "Storage:Endpoint")]
    [InlineData("AccessKey", "", "Storage:AccessKey")]
    [InlineData("MaxRetries", "99", "Storage:MaxRetries")]
    public void Invalid_settings_name_the_setting(string name, string value, string setting)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "s3",
            ["Storage:Endpoint"] = "http://127.0.0.1:9000",
            ["Storage:AccessKey"] = "rag_flow",
            ["Storage:SecretKey"] = "infini_rag_flow",
        };
        values[$"Storage:{name}"] = value;
        var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Storage");

        var error = Assert.Throws<RedisFlowConfigurationException>(() => new S3FileStorageFactory().Create(section, EmptyServices.Instance));

        Assert.Equal(setting, error.Setting);
        Assert.DoesNotContain("infini_rag_flow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aws_without_an_endpoint_needs_a_region()
    {
        var error = Assert.Throws<RedisFlowConfigurationException>(() => new S3StorageOptions { AccessKey = "a", SecretKey = "b" }.Validate());

        Assert.Equal("Storage:Region", error.Setting);
    }

    [Fact]
    public void The_factory_binds_ragflows_minio_settings_and_never_shows_the_secret()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "s3",
            ["Storage:Endpoint"] = "http://127.0.0.1:9000",
            ["Storage:AccessKey"] = "rag_flow",
            ["Storage:SecretKey"] = "infini_rag_flow",
            ["Storage:Bucket"] = "ragflow",
            ["Storage:Prefix"] = "prod",
        }).Build().GetSection("Storage");

        using var storage = Assert.IsType<S3FileStorage>(new S3FileStorageFactory().Create(section, EmptyServices.Instance));
        var options = RedisFlow.CacheServer.Providers.ConfigurationReader.Bind<S3StorageOptions>(section);

        Assert.Equal(new S3ObjectAddress("ragflow", "prod/kb1/a.pdf"), storage.Resolve("kb1", "a.pdf"));
        Assert.DoesNotContain("infini_rag_flow", options.ToString(), StringComparison.Ordinal);
    }
}
