namespace RedisFlow.Cli.Tests.Topologies;

/// <summary><c>redisflow info</c> on the run's single redis-server.</summary>
public sealed class StandaloneTopologyCliTests(RedisFixture fixture)
{
    private RedisFixture Fixture { get; } = fixture;

    [Fact]
    public async Task Cli_info_shows_the_standalone_topology()
    {
        var (code, text, error) = await CliRunner.RunAsync("info", "--redis", Fixture.Server.Endpoint);
        Assert.True(code == 0, text + error);
        Assert.Contains("standalone, 1 node(s)", text, StringComparison.Ordinal);
        Assert.Contains($"primary {Fixture.Server.Endpoint}", text, StringComparison.Ordinal);
    }
}
