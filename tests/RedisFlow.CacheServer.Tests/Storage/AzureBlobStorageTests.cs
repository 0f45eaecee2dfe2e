using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.SampleData;
using RedisFlow.Storage.Azure;
using RedisFlow.Testing.Artifacts;
using RedisFlow.Testing.Cache;
using RedisFlow.Testing.Servers;

namespace RedisFlow.CacheServer.Tests.Storage;

/// <summary>Azure Blob storage in RAGFlow's layout, its errors and its settings, against a real Azurite emulator.</summary>
public sealed class AzureBlobStorageTests(AzureBlobFileStorageFixture fixture)
{
    // Any valid base64 key other than Azurite's: signatures made with it are refused.
    private const string WrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_ragflows_layout_one_container_blob_is_bucket_slash_location()
    {
        var (options, container) = await NewContainerAsync();
        var bucket = RagflowRows.NewId();
        await container.GetBlobClient($"{bucket}/dir/doc.pdf").UploadAsync(BinaryData.FromString("azure layout"), Ct);
        var storage = new AzureBlobFileStorage(options);

        Assert.Equal("azure layout", await StorageText.ReadAsync(storage, bucket, "dir/doc.pdf", Ct));
    }

    [Fact]
    public async Task Without_the_bucket_in_the_name_reads_blobs_named_by_location_with_the_prefix()
    {
        var (options, container) = await NewContainerAsync();
        options.IncludeBucket = false;
        options.Prefix = "ragflow";
        await container.GetBlobClient("ragflow/doc.pdf").UploadAsync(BinaryData.FromString("location only"), Ct);
        var storage = new AzureBlobFileStorage(options);

        Assert.Equal("location only", await StorageText.ReadAsync(storage, RagflowRows.NewId(), "doc.pdf", Ct));
    }

    [Fact]
    public async Task A_missing_container_is_not_found()
    {
        var emulator = await fixture.EmulatorAsync(Ct);
        var storage = new AzureBlobFileStorage(AzureBlobFileStorageFixture.OptionsFor(emulator)); // container never created

        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => storage.OpenReadAsync("kb", "a.pdf", Ct));
    }

    [Fact]
    public async Task A_wrong_account_key_gives_a_clear_error_without_the_key()
    {
        var (options, container) = await NewContainerAsync();
        await container.GetBlobClient("kb/a.pdf").UploadAsync(BinaryData.FromString("x"), Ct);
        var emulator = await fixture.EmulatorAsync(Ct);
        options.ConnectionString = emulator.ConnectionString(WrongKey);
        var logs = new CapturingLoggerFactory();
        var storage = new AzureBlobFileStorage(options, logs.CreateLogger<AzureBlobFileStorage>());

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.OpenReadAsync("kb", "a.pdf", Ct));

        Assert.Contains("access denied", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(WrongKey, StringComparison.Ordinal) || m.Contains("AccountKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_storage_outage_is_an_error_other_than_not_found()
    {
        // A private emulator, killed like a crashed server: the shared one keeps serving the other tests.
        await using var emulator = await AzuriteEmulator.StartAsync(Ct);
        var options = AzureBlobFileStorageFixture.OptionsFor(emulator);
        var container = new BlobServiceClient(options.ConnectionString).GetBlobContainerClient(options.Container);
        await container.CreateAsync(cancellationToken: Ct);
        await container.GetBlobClient("kb/a.pdf").UploadAsync(BinaryData.FromString("up"), Ct);
        var storage = new AzureBlobFileStorage(options);
        Assert.Equal("up", await StorageText.ReadAsync(storage, "kb", "a.pdf", Ct));
        await emulator.KillAsync();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.OpenReadAsync("kb", "a.pdf", Ct));

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteEmulator.AccountKey, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConnectionString", "", "Storage:ConnectionString")]
    [InlineData("ConnectionString", "AccountName=x;Nonsense", "Storage:ConnectionString")]
    [InlineData("Container", "", "Storage:Container")]
    public void Invalid_settings_name_the_setting_without_echoing_the_connection_string(string name, string value, string setting)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "azure",
            ["Storage:ConnectionString"] = $"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={WrongKey};EndpointSuffix=core.windows.net",
            ["Storage:Container"] = "ragflow",
        };
        values[$"Storage:{name}"] = value;
        var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Storage");

        var error = Assert.Throws<RedisFlowConfigurationException>(() => new AzureBlobFileStorageFactory().Create(section, EmptyServices.Instance));

        Assert.Equal(setting, error.Setting);
        Assert.DoesNotContain(WrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Nonsense", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_url_with_a_read_only_sas_token_reads_files_as_ragflows_azure_sas_storage()
    {
        var (_, container) = await NewContainerAsync();
        var bucket = RagflowRows.NewId();
        await container.GetBlobClient($"{bucket}/doc.pdf").UploadAsync(BinaryData.FromString("read through a SAS"), Ct);
        var sas = RegisteredSas(container.GenerateSasUri(BlobContainerSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)).Query);
        var values = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "azure",
            ["Storage:ContainerUrl"] = container.Uri.ToString(),
            ["Storage:SasToken"] = sas,
            ["Storage:MaxRetries"] = "0",
        };
        var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Storage");
        var storage = new AzureBlobFileStorageFactory().Create(section, EmptyServices.Instance);

        Assert.Equal("read through a SAS", await StorageText.ReadAsync(storage, bucket, "doc.pdf", Ct));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => storage.OpenReadAsync(bucket, "missing.pdf", Ct));
    }

    [Fact]
    public async Task An_expired_sas_token_gives_access_denied_naming_the_setting_without_the_token()
    {
        var (_, container) = await NewContainerAsync();
        await container.GetBlobClient("kb/a.pdf").UploadAsync(BinaryData.FromString("x"), Ct);
        var sas = RegisteredSas(container.GenerateSasUri(BlobContainerSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(-1)).Query.TrimStart('?'));
        var logs = new CapturingLoggerFactory();
        var storage = new AzureBlobFileStorage(
            new AzureBlobStorageOptions { ContainerUrl = container.Uri.ToString(), SasToken = sas, MaxRetries = 0 },
            logs.CreateLogger<AzureBlobFileStorage>());

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.OpenReadAsync("kb", "a.pdf", Ct));

        Assert.Contains("access denied", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:SasToken", error.Message, StringComparison.Ordinal);
        var signature = System.Web.HttpUtility.ParseQueryString(sas)["sig"]!;
        Assert.DoesNotContain(signature, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(signature, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/ragflow?sv=2024&sig=SECRETSIG", "sv=1&sig=x", null, "Storage:ContainerUrl")]
    [InlineData("not a url", "sv=1&sig=SECRETSIG", null, "Storage:ContainerUrl")]
    [InlineData("https://acct.blob.core.windows.net/", "sv=1&sig=SECRETSIG", null, "Storage:ContainerUrl")]
    [InlineData("https://acct.blob.core.windows.net/ragflow", "", null, "Storage:SasToken")]
    [InlineData("https://acct.blob.core.windows.net/ragflow", "sv=1&sig=SECRETSIG", "AccountName=a;AccountKey=SECRETKEY", "Storage:ContainerUrl")]
    public void Invalid_sas_settings_name_the_setting_without_echoing_secrets(string url, string token, string? connectionString, string setting)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "azure",
            ["Storage:ContainerUrl"] = url,
            ["Storage:SasToken"] = token,
            ["Storage:ConnectionString"] = connectionString,
        };
        var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Storage");

        var error = Assert.Throws<RedisFlowConfigurationException>(() => new AzureBlobFileStorageFactory().Create(section, EmptyServices.Instance));

        Assert.Equal(setting, error.Setting);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<(AzureBlobStorageOptions Options, BlobContainerClient Container)> NewContainerAsync()
    {
        var emulator = await fixture.EmulatorAsync(Ct);
        var options = AzureBlobFileStorageFixture.OptionsFor(emulator);
        var container = new BlobServiceClient(options.ConnectionString).GetBlobContainerClient(options.Container);
        await container.CreateAsync(cancellationToken: Ct);
        return (options, container);
    }

    /// <summary>A SAS token the test uses, and its signature, made known to the secret sweep.</summary>
    private static string RegisteredSas(string sas)
    {
        TestSecrets.Register("azure-sas-signature", System.Web.HttpUtility.ParseQueryString(sas)["sig"]!);
        return TestSecrets.Register("azure-sas-token", sas);
    }
}
