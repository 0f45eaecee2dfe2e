using System.Text.Json;

namespace RedisFlow.Cli.Tests.Topologies;

/// <summary><c>redisflow info</c> on the run's Redis Cluster.</summary>
public sealed class ClusterTopologyCliTests(LargeValueClusterFixture fixture)
{
    [Fact]
    public async Task Cli_info_shows_cluster_nodes_and_slots_in_text_and_json()
    {
        var cluster = await fixture.GetClusterAsync();
        var endpoint = cluster.Nodes[0].Endpoint;
        var (code, text, error) = await CliRunner.RunAsync("info", "--redis", endpoint, "--db", "0");
        Assert.True(code == 0, text + error);
        Assert.Contains("cluster, 6 node(s)", text, StringComparison.Ordinal);
        Assert.Matches(@"primary +127\.0\.0\.1:\d+ slots 0-\d+", text);

        (code, var json, error) = await CliRunner.RunAsync("info", "--redis", endpoint, "--db", "0", "--json");
        Assert.True(code == 0, json + error);
        using var doc = JsonDocument.Parse(json);
        var topology = doc.RootElement.GetProperty("topology");
        Assert.Equal("cluster", topology.GetProperty("kind").GetString());
        Assert.Equal(6, topology.GetProperty("nodes").GetArrayLength());
    }
}
