using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Topologies;

public sealed class ClusterTopologyTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Topology_lists_three_primaries_covering_every_slot_and_three_replicas()
    {
        var db = await fixture.GetDbAsync(Ct);
        var topology = await db.GetTopologyAsync(Ct);
        Assert.NotNull(topology);
        Assert.Equal("cluster", topology.Kind);
        var primaries = topology.Nodes.Where(n => n.Role == "primary").ToList();
        Assert.Equal(3, primaries.Count);
        Assert.Equal(16384, primaries.SelectMany(p => p.Slots).Sum(SlotCount));
        var replicas = topology.Nodes.Where(n => n.Role == "replica").ToList();
        Assert.Equal(3, replicas.Count);
        Assert.All(replicas, r => Assert.Contains(primaries, p => p.Endpoint == r.PrimaryEndpoint));
    }

    [Fact]
    public async Task A_non_zero_Db_on_a_cluster_is_a_configuration_error_naming_Redis_Db()
    {
        var cluster = await fixture.GetClusterAsync();
        var error = await Assert.ThrowsAsync<RedisFlowConfigurationException>(() => RedisDb.ConnectAsync(cluster.Options(o => o.Db = 1), ct: Ct));
        Assert.Equal("Redis:Db", error.Setting);
        Assert.Contains("Redis Cluster", error.Message, StringComparison.Ordinal);
    }

    private static int SlotCount(string range)
    {
        var parts = range.Split('-');
        return parts.Length == 1 ? 1 : int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) - int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) + 1;
    }
}

public sealed class StandaloneTopologyTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    [Fact]
    public async Task Topology_of_a_single_server_is_standalone_with_one_primary()
    {
        var topology = await Db.GetTopologyAsync(Ct);
        Assert.NotNull(topology);
        Assert.Equal("standalone", topology.Kind);
        var node = Assert.Single(topology.Nodes);
        Assert.Equal("primary", node.Role);
        Assert.Equal(Fixture.Server.Endpoint, node.Endpoint);
    }
}
