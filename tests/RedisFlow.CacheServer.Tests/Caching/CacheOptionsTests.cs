using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Providers;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>Every invalid <c>Cache</c> setting is refused with a message naming it.</summary>
public sealed class CacheOptionsTests
{
    [Theory]
    [InlineData("Ttl", "00:00:00", "Cache:Ttl")]
    [InlineData("PollInterval", "00:00:00", "Cache:PollInterval")]
    [InlineData("ParallelFetches", "0", "Cache:ParallelFetches")]
    [InlineData("MaxFileSize", "0", "Cache:MaxFileSize")]
    [InlineData("MaxFileSize", "600000000", "Cache:MaxFileSize")]
    [InlineData("MemoryGuardFraction", "0", "Cache:MemoryGuardFraction")]
    [InlineData("MemoryGuardFraction", "1.5", "Cache:MemoryGuardFraction")]
    [InlineData("ClaimTtl", "00:00:00.010", "Cache:ClaimTtl")]
    [InlineData("ChunkSize", "100", "Cache:ChunkSize")]
    [InlineData("ChunksInFlight", "0", "Cache:ChunksInFlight")]
    [InlineData("ChunksInFlight", "2000", "Cache:ChunksInFlight")]
    [InlineData("Ttl", "twelve minutes", "Cache:Ttl")]
    public void An_invalid_setting_is_named(string name, string value, string setting)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Cache:{name}"] = value }).Build().GetSection("Cache");

        var error = Assert.Throws<RedisFlowConfigurationException>(() => ConfigurationReader.Bind<CacheOptions>(section).Validate());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_the_seed_s_and_valid()
    {
        var options = new CacheOptions();
        options.Validate();
        Assert.Equal(TimeSpan.FromMinutes(12), options.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(1), options.PollInterval);
        Assert.Equal(4, options.ParallelFetches);
        Assert.Equal(4, options.ChunksInFlight);
    }
}
