using RedisFlow.Cli.Commands.Config;

namespace RedisFlow.Cli.Tests;

/// <summary><c>config show</c> never prints a secret: by setting name, or inside a connection string.</summary>
public sealed class SecretMaskTests
{
    [Theory]
    [InlineData("Redis:Password", "s3cret")]
    [InlineData("Storage:SecretKey", "s3cret")]
    [InlineData("Storage:SasToken", "sv=1&sig=s3cret")]
    [InlineData("Storage:Encryption:Key", "s3cret")]
    [InlineData("Dashboard:Token", "s3cret")]
    public void Masks_secret_settings_by_name(string key, string value) =>
        Assert.Equal(SecretMask.Masked, SecretMask.Apply(key, value));

    [Theory]
    [InlineData("TaskSource:ConnectionString", "Server=db;User ID=root;Password=s3cret;Database=rag_flow")]
    [InlineData("TaskSource:ConnectionString", "Host=db;Username=u;pwd=s3cret")]
    [InlineData("Storage:ConnectionString", "DefaultEndpointsProtocol=http;AccountName=a;AccountKey=s3cret;BlobEndpoint=http://127.0.0.1:1/a")]
    [InlineData("Redis:ConnectionString", "127.0.0.1:6379,user=flow,password=s3cret,ssl=true")]
    [InlineData("TaskSource:ConnectionString", "Password='unterminated")]
    public void Masks_passwords_inside_connection_strings(string key, string value)
    {
        var shown = SecretMask.Apply(key, value);

        Assert.DoesNotContain("s3cret", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("unterminated", shown, StringComparison.Ordinal);
        Assert.Contains(SecretMask.Masked, shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Redis:Host", "127.0.0.1:6379")]
    [InlineData("Storage:Endpoint", "http://127.0.0.1:9000")]
    [InlineData("Redis:Ssl:ClientKeyFile", "/etc/redis/client.key")]
    public void Leaves_other_settings_readable(string key, string value) =>
        Assert.Equal(value, SecretMask.Apply(key, value));
}
