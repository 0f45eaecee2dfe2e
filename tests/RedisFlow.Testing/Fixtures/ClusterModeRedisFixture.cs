using System.Globalization;

namespace RedisFlow.Testing.Fixtures;

/// <summary>
/// A single redis-server started with cluster support, to ask it <c>CLUSTER KEYSLOT</c>: no slots are assigned, so
/// no <see cref="RedisDb"/> connects to it.
/// </summary>
public sealed class ClusterModeRedisFixture : RedisFixture
{
    /// <summary>Starts the node with <c>--cluster-enabled yes</c>.</summary>
    public ClusterModeRedisFixture()
        : base(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"], connect: false)
    {
    }

    /// <summary>The hash slot the server computes for <paramref name="key"/>.</summary>
    public async Task<int> KeySlotAsync(string key)
    {
        var reply = await Server.SendRawAsync(TestContext.Current.CancellationToken, "CLUSTER", "KEYSLOT", key).ConfigureAwait(false);
        Assert.StartsWith(":", reply, StringComparison.Ordinal);
        return int.Parse(reply.AsSpan(1).Trim(), CultureInfo.InvariantCulture);
    }
}
