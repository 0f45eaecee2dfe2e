using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedisFlow.DependencyInjection;

namespace RedisFlow.Tests.Durability;

/// <summary><see cref="RedisDbOptions.WaitForReplicas"/> and its timeout: defaults, binding, and errors naming the setting.</summary>
public sealed class DurableOptionsTests
{
    [Fact]
    public void Off_by_default_with_a_one_second_timeout()
    {
        var options = new RedisDbOptions();
        Assert.Equal(0, options.WaitForReplicas);
        Assert.Equal(TimeSpan.FromSeconds(1), options.WaitForReplicasTimeout);
        options.Validate();

        // Off, the timeout is not checked: a short operation timeout alone stays valid.
        new RedisDbOptions { OperationTimeout = TimeSpan.FromSeconds(1) }.Validate();
    }

    [Fact]
    public void Binds_from_the_Redis_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:WaitForReplicas"] = "2",
            ["Redis:WaitForReplicasTimeout"] = "00:00:00.250",
        }).Build();
        using var provider = new ServiceCollection().AddRedisDb(configuration).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<RedisDbOptions>>().Value;
        Assert.Equal(2, options.WaitForReplicas);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.WaitForReplicasTimeout);
    }

    [Theory]
    [InlineData(-1, 1000, 5000, "Redis:WaitForReplicas")]
    [InlineData(101, 1000, 5000, "Redis:WaitForReplicas")]
    [InlineData(1, 0, 5000, "Redis:WaitForReplicasTimeout")]
    [InlineData(1, 3000, 5000, "Redis:WaitForReplicasTimeout")]
    public void Bad_values_name_the_setting(int replicas, int timeoutMs, int operationMs, string setting)
    {
        var options = new RedisDbOptions
        {
            WaitForReplicas = replicas,
            WaitForReplicasTimeout = TimeSpan.FromMilliseconds(timeoutMs),
            OperationTimeout = TimeSpan.FromMilliseconds(operationMs),
        };
        Assert.Equal(setting, Assert.Throws<RedisFlowConfigurationException>(options.Validate).Setting);
    }

    [Fact]
    public void Invalid_bound_value_fails_with_the_setting_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:WaitForReplicas"] = "-3",
        }).Build();
        using var provider = new ServiceCollection().AddRedisDb(configuration).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<RedisDb>());
        Assert.Contains("Redis:WaitForReplicas", ex.Message, StringComparison.Ordinal);
    }
}
