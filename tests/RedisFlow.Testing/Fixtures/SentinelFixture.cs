using RedisFlow.Testing.Topologies;

namespace RedisFlow.Testing.Fixtures;

/// <summary>A Sentinel set of a class's own (primary, replica, three Sentinels), reached through the Sentinels.</summary>
public sealed class SentinelFixture() : DedicatedTopologyFixture<SentinelTopology>(SentinelTopology.StartAsync, sentinel => sentinel.Options())
{
    /// <summary>The primary, the replica and the Sentinels.</summary>
    public SentinelTopology Sentinel => Deployment;
}
