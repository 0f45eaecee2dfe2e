using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedisFlow.DependencyInjection;

namespace RedisFlow.Tests.Connection;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("localhost:6379", "localhost", 6379)]
    [InlineData("redis.internal", "redis.internal", 6379)]
    [InlineData("10.1.2.3:6380", "10.1.2.3", 6380)]
    [InlineData("[::1]:6390", "::1", 6390)]
    [InlineData("[::1]", "::1", 6379)]
    [InlineData("::1", "::1", 6379)]
    public void Host_accepts_names_ipv4_and_ipv6_with_or_without_port(string host, string expectedHost, int expectedPort)
    {
        var endpoint = RedisEndpointParser.Parse(host);
        var (name, port) = endpoint switch
        {
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            DnsEndPoint dns => (dns.Host, dns.Port),
            _ => throw new InvalidOperationException(),
        };
        Assert.Equal(expectedHost, name);
        Assert.Equal(expectedPort, port);
    }

    [Theory]
    [InlineData("host:notaport")]
    [InlineData("host:70000")]
    [InlineData("[::1")]
    [InlineData(":6379")]
    [InlineData("")]
    public void Bad_hosts_give_a_clear_error_naming_the_setting(string host)
    {
        var ex = Assert.Throws<RedisFlowConfigurationException>(() => new RedisDbOptions { Host = host }.Validate());
        Assert.Equal("Redis:Host", ex.Setting);
        Assert.Contains("Redis:Host", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_match_ragflow()
    {
        var options = new RedisDbOptions();
        Assert.Equal("localhost:6379", options.Host);
        Assert.Equal(1, options.Db);
    }

    [Fact]
    public void Other_bad_settings_are_named()
    {
        Assert.Equal("Redis:Db", Assert.Throws<RedisFlowConfigurationException>(() => new RedisDbOptions { Db = -1 }.Validate()).Setting);
        Assert.Equal("Redis:OperationTimeout", Assert.Throws<RedisFlowConfigurationException>(() => new RedisDbOptions { OperationTimeout = TimeSpan.Zero }.Validate()).Setting);
        Assert.Equal("Redis:RetryAttempts", Assert.Throws<RedisFlowConfigurationException>(() => new RedisDbOptions { RetryAttempts = 0 }.Validate()).Setting);
        Assert.Equal("Redis:Ssl:CaCertificateFile", Assert.Throws<RedisFlowConfigurationException>(() =>
            new RedisDbOptions { Ssl = new RedisSslOptions { Enabled = true, CaCertificateFile = "/nonexistent/ca.crt" } }.Validate()).Setting);
    }

    [Fact]
    public void Passwords_never_appear_in_descriptions()
    {
        var plain = new RedisDbOptions { Host = "h:1", Password = "s3cr3t-pw", Username = "app" };
        Assert.DoesNotContain("s3cr3t-pw", plain.ToString(), StringComparison.Ordinal);
        var withString = new RedisDbOptions { ConnectionString = "h:1,password=s3cr3t-pw,user=app" };
        Assert.DoesNotContain("s3cr3t-pw", withString.ToString(), StringComparison.Ordinal);
        Assert.Contains("h:1", withString.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Binds_from_the_Redis_configuration_section_and_environment_style_keys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Host"] = "[::1]:7000",
            ["Redis:Db"] = "3",
            ["Redis:Password"] = "pw",
            ["Redis:Ssl:Enabled"] = "false",
            ["Redis:OperationTimeout"] = "00:00:02",
        }).Build();
        using var provider = new ServiceCollection().AddRedisDb(configuration).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<RedisDbOptions>>().Value;
        Assert.Equal("[::1]:7000", options.Host);
        Assert.Equal(3, options.Db);
        Assert.Equal(TimeSpan.FromSeconds(2), options.OperationTimeout);
    }

    [Fact]
    public void Invalid_bound_configuration_fails_with_the_setting_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Host"] = "host:99999",
        }).Build();
        using var provider = new ServiceCollection().AddRedisDb(configuration).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<RedisDb>());
        Assert.Contains("Redis:Host", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparsable_connection_string_names_the_setting_without_echoing_it()
    {
        var ex = Assert.Throws<RedisFlowConfigurationException>(() =>
            new RedisDb(new RedisDbOptions { ConnectionString = "host:1,password=hunter2,notanoption=1" }));
        Assert.Equal("Redis:ConnectionString", ex.Setting);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }
}
