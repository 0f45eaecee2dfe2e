using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Storage;
using RedisFlow.Storage.Encryption;

namespace RedisFlow.CacheServer.Tests.Encryption;

/// <summary>Files RAGFlow stored encrypted, read back through <see cref="EncryptedFileStorage"/> over a local folder.</summary>
public sealed class EncryptedFileStorageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("redisflow-crypto-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, int> AlgorithmsAndSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var algorithm in RagflowCryptoOptions.Algorithms)
        {
            // Empty, one byte short of a block, a whole block (a full block of padding), one over, and several chunks.
            foreach (var size in new[] { 0, 15, 16, 17, (3 << 20) + 5 })
            {
                data.Add(algorithm, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndSizes))]
    public async Task Decrypts_what_an_independent_implementation_encrypted(string algorithm, int size)
    {
        var plaintext = RagflowEncryptedFiles.Content(size);
        var storage = new LocalFileStorage(_root);
        await RagflowEncryptedFiles.EncryptAsync(algorithm, plaintext, storage.PathOf("kb", "doc.bin"), Ct);

        var encrypted = new EncryptedFileStorage(storage, Options(algorithm, RagflowEncryptedFiles.Key));
        await using var file = await encrypted.OpenReadAsync("kb", "doc.bin", Ct);
        Assert.Null(file.Length);
        Assert.Equal(plaintext, await ReadAllAsync(file.Content));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100_000)]
    public async Task Data_without_the_prefix_passes_through_unchanged_with_its_length(int size)
    {
        var plaintext = RagflowEncryptedFiles.Content(size);
        var storage = new LocalFileStorage(_root);
        var path = storage.PathOf("kb", "plain.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, plaintext, Ct);

        var encrypted = new EncryptedFileStorage(storage, Options("aes-256-cbc", "k"));
        await using var file = await encrypted.OpenReadAsync("kb", "plain.bin", Ct);
        Assert.Equal(size, file.Length);
        Assert.Equal(plaintext, await ReadAllAsync(file.Content));
    }

    [Theory]
    [InlineData("aes-256-cbc")]
    [InlineData("aes-128-cbc")]
    [InlineData("sm4-cbc")]
    public async Task A_wrong_key_is_a_clear_error_that_never_shows_the_key(string algorithm)
    {
        var storage = new LocalFileStorage(_root);
        await RagflowEncryptedFiles.EncryptAsync(algorithm, RagflowEncryptedFiles.Content(100_000), storage.PathOf("kb", "doc.bin"), Ct);

        const string WrongKey = "not-the-key-3141";
        var encrypted = new EncryptedFileStorage(storage, Options(algorithm, WrongKey));
        await using var file = await encrypted.OpenReadAsync("kb", "doc.bin", Ct);
        var error = await Assert.ThrowsAsync<StorageDecryptionException>(() => ReadAllAsync(file.Content));
        Assert.Contains("kb/doc.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("RAGFLOW_CRYPTO_KEY", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_truncated_inside_its_iv_is_a_clear_error()
    {
        var storage = new LocalFileStorage(_root);
        var path = storage.PathOf("kb", "cut.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, [.. "RAGF"u8.ToArray(), 1, 2, 3], Ct);
        var encrypted = new EncryptedFileStorage(storage, Options("aes-256-cbc", "k"));
        var error = await Assert.ThrowsAsync<StorageDecryptionException>(() => encrypted.OpenReadAsync("kb", "cut.bin", Ct));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ragflow_variables_configure_it_and_explicit_settings_win()
    {
        var fromRagflow = RagflowCryptoOptions.From(Config(new()
        {
            ["RAGFLOW_CRYPTO_ENABLED"] = "true",
            ["RAGFLOW_CRYPTO_ALGORITHM"] = "SM4-CBC",
            ["RAGFLOW_CRYPTO_KEY"] = "k1",
        }));
        Assert.True(fromRagflow.Enabled);
        Assert.Equal("sm4-cbc", fromRagflow.Algorithm);
        Assert.Equal("k1", fromRagflow.Key);

        var explicitWins = RagflowCryptoOptions.From(Config(new()
        {
            ["RAGFLOW_CRYPTO_ENABLED"] = "true",
            ["RAGFLOW_CRYPTO_KEY"] = "k1",
            ["Storage:Encryption:Enabled"] = "false",
        }));
        Assert.False(explicitWins.Enabled);
        Assert.Equal("aes-256-cbc", explicitWins.Algorithm);
    }

    [Fact]
    public void Bad_settings_name_the_setting_and_never_the_key()
    {
        var unknown = Assert.Throws<RedisFlowConfigurationException>(() => Options("aes-512-gcm", "secret-key-77").Validate());
        Assert.Equal("Storage:Encryption:Algorithm", unknown.Setting);
        Assert.DoesNotContain("secret-key-77", unknown.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<RedisFlowConfigurationException>(() => Options("aes-256-cbc", null).Validate());
        Assert.Equal("Storage:Encryption:Key", missing.Setting);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static RagflowCryptoOptions Options(string algorithm, string? key) => new() { Enabled = true, Algorithm = algorithm, Key = key };

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
