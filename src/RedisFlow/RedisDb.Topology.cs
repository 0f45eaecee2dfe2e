using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    /// <summary>
    /// The deployment's layout now: standalone (one node), Sentinel (the service's primary and replicas) or Cluster
    /// (every node with its slot ranges, from <c>CLUSTER NODES</c>). Null when Redis could not answer.
    /// </summary>
    public Task<RedisTopology?> GetTopologyAsync(CancellationToken ct = default) =>
        ExecuteAsync<(bool Cluster, string? Service), RedisTopology?>(nameof(GetTopologyAsync), null, (_isCluster, _config.ServiceName),
            static async (db, s) => s.Cluster
                ? await ClusterTopologyAsync(db.Multiplexer).ConfigureAwait(false)
                : await ReplicatedTopologyAsync(db.Multiplexer, s.Service).ConfigureAwait(false),
            null, idempotent: true, ct);

    private static async Task<RedisTopology> ClusterTopologyAsync(IConnectionMultiplexer connection)
    {
        var server = connection.GetServers().FirstOrDefault(s => s.IsConnected)
            ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No cluster node is connected.");
        // IServer.ClusterNodesAsync needs admin mode; the plain command does not, and the text is simple to read.
        var reply = await server.ExecuteAsync("CLUSTER", "NODES").ConfigureAwait(false);
        return new RedisTopology("cluster", null, ClusterNodesParser.Parse(reply.ToString()));
    }

    private static async Task<RedisTopology> ReplicatedTopologyAsync(IConnectionMultiplexer connection, string? serviceName)
    {
        var nodes = new List<RedisTopologyNode>();
        foreach (var server in connection.GetServers())
        {
            if (server.ServerType == ServerType.Sentinel)
            {
                continue;
            }

            nodes.Add(await DescribeAsync(server).ConfigureAwait(false));
        }

        nodes.Sort((a, b) => (a.Role == "primary" ? 0 : 1).CompareTo(b.Role == "primary" ? 0 : 1));
        return new RedisTopology(serviceName is null ? "standalone" : "sentinel", serviceName, nodes);
    }

    private static async Task<RedisTopologyNode> DescribeAsync(IServer server)
    {
        if (!server.IsConnected)
        {
            return new RedisTopologyNode(Format(server.EndPoint), "unknown", false, null, []);
        }

        try
        {
            var role = await server.RoleAsync().ConfigureAwait(false);
            return role switch
            {
                Role.Replica replica => new RedisTopologyNode(Format(server.EndPoint), "replica", true, $"{replica.MasterIp}:{replica.MasterPort}", []),
                _ => new RedisTopologyNode(Format(server.EndPoint), "primary", true, null, []),
            };
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Still listed: a node that does not answer ROLE is exactly what an operator needs to see.
            return new RedisTopologyNode(Format(server.EndPoint), "unknown", server.IsConnected, null, []);
        }
    }

    private static string Format(EndPoint? endpoint) => endpoint switch
    {
        null => "?",
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "?",
    };
}
