using Microsoft.Extensions.Configuration;

namespace RedisFlow.Configuration.Ragflow.Tests;

/// <summary>
/// RAGFlow's encrypt_password option: its passwords are decrypted by a Python function RedisFlow cannot run, so they
/// are refused with a clear message unless an explicit setting supplies them; and explicit settings always win.
/// </summary>
public sealed class EncryptedPasswordTests
{
    private const string Encrypted = """
        encrypt_password: true
        encrypt_module: 'conf.crypto#decrypt'
        private_key: 'some-key'
        mysql: {host: db, user: root, password: 'ENCRYPTED-BLOB'}
        minio: {user: u, password: 'ENCRYPTED-MINIO', host: 'm:9000'}
        redis: {host: 'r:6379', password: 'plain-redis'}
        """;

    [Fact]
    public void Encrypted_passwords_are_left_out_and_reported_by_setting()
    {
        using var conf = new ConfFolder(Encrypted);
        var configuration = new ConfigurationBuilder().AddRagflowServiceConf(conf.ServiceConf, _ => null).Build();

        Assert.Null(configuration["TaskSource:ConnectionString"]);
        Assert.Null(configuration["Storage:SecretKey"]);
        // RAGFlow decrypts database and MinIO passwords only; Redis's is plain.
        Assert.Equal("plain-redis", configuration["Redis:Password"]);
        var ex = Assert.Throws<RedisFlowConfigurationException>(() => RagflowSettings.ThrowIfUnresolved(configuration));
        Assert.Contains("encrypt_password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ENCRYPTED", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_setting_supplies_what_the_file_keeps_encrypted()
    {
        using var conf = new ConfFolder(Encrypted);
        var configuration = new ConfigurationBuilder()
            .AddRagflowServiceConf(conf.ServiceConf, _ => null)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TaskSource:ConnectionString"] = "Server=db;User ID=root;Password=plain",
                ["Storage:SecretKey"] = "plain-minio",
            })
            .Build();

        RagflowSettings.ThrowIfUnresolved(configuration);
        Assert.Equal("plain-minio", configuration["Storage:SecretKey"]);
    }

    [Fact]
    public void Sources_added_after_the_file_win()
    {
        using var conf = new ConfFolder(DockerTemplate.Text);
        var configuration = new ConfigurationBuilder()
            .AddRagflowServiceConf(conf.ServiceConf, _ => null)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:Host"] = "127.0.0.1:7000" })
            .Build();

        Assert.Equal("127.0.0.1:7000", configuration["Redis:Host"]);
        Assert.Equal("infini_rag_flow", configuration["Redis:Password"]);
        RagflowSettings.ThrowIfUnresolved(configuration);
    }
}
