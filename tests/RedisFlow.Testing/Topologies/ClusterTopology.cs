using System.Globalization;
using RedisFlow.Embedded;

namespace RedisFlow.Testing.Topologies;

/// <summary>
/// A Redis Cluster of three primaries with one replica each, or more (<c>redis-cli --cluster create
/// --cluster-replicas N</c>, <c>cluster-node-timeout</c> 1000 ms), each node with its own folder and explicit bus port.
/// </summary>
public sealed class ClusterTopology : IAsyncDisposable
{
    private readonly List<RedisServerProcess> _nodes;

    private ClusterTopology(List<RedisServerProcess> nodes) => _nodes = nodes;

    /// <summary>The nodes as started (roles change on failover).</summary>
    public IReadOnlyList<RedisServerProcess> Nodes => _nodes;

    /// <summary>Every node's endpoint, comma-separated: a StackExchange.Redis connection string.</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => n.Endpoint));

    /// <summary>Starts six nodes, joins them into a cluster and waits until every node reports <c>cluster_state:ok</c> and every replica is in sync.</summary>
    public static Task<ClusterTopology> StartAsync(CancellationToken ct = default) => StartAsync(1, ct);

    /// <summary>Starts three primaries with <paramref name="replicasPerPrimary"/> replicas each, joined and healthy as the other overload.</summary>
    public static async Task<ClusterTopology> StartAsync(int replicasPerPrimary, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(replicasPerPrimary);
        var nodes = new List<RedisServerProcess>();
        var topology = new ClusterTopology(nodes);
        try
        {
            var starting = Enumerable.Range(0, 3 * (1 + replicasPerPrimary)).Select(_ => RedisServerProcess.StartAsync(new RedisServerSettings
            {
                ExtraArgs =
                [
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "1000",
                    // The default bus port (port + 10000) can fall outside 1-65535 for high ephemeral ports.
                    "--cluster-port", FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ],
            }, ct)).ToList();
            foreach (var node in starting)
            {
                nodes.Add(await node.ConfigureAwait(false));
            }

            await RedisCli.RunAsync(
                ["--cluster", "create", .. nodes.Select(n => n.Endpoint), "--cluster-replicas", replicasPerPrimary.ToString(CultureInfo.InvariantCulture), "--cluster-yes"],
                TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            await topology.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            return topology;
        }
        catch
        {
            await topology.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until every running node says <c>cluster_state:ok</c> and every running replica's link to its primary is up.</summary>
    public Task WaitUntilHealthyAsync(TimeSpan limit, CancellationToken ct = default) =>
        Poll.UntilAsync(async () =>
        {
            foreach (var node in _nodes.Where(n => n.IsRunning))
            {
                if (Resp.InfoField(await node.SendRawAsync(ct, "CLUSTER", "INFO").ConfigureAwait(false), "cluster_state") != "ok")
                {
                    return false;
                }

                var replication = await node.SendRawAsync(ct, "INFO", "replication").ConfigureAwait(false);
                if (Resp.InfoField(replication, "role") == "slave" && Resp.InfoField(replication, "master_link_status") != "up")
                {
                    return false;
                }
            }

            return true;
        }, limit, "every cluster node to report cluster_state:ok with replicas in sync", ct);

    /// <summary>The nodes as a running node sees them now (<c>CLUSTER NODES</c>).</summary>
    public async Task<IReadOnlyList<ClusterNodeView>> ViewAsync(CancellationToken ct = default)
    {
        var node = _nodes.First(n => n.IsRunning);
        var reply = await node.SendRawAsync(ct, "CLUSTER", "NODES").ConfigureAwait(false);
        var result = new List<ClusterNodeView>();
        foreach (var line in reply.Split('\n').Skip(1))
        {
            var parts = line.TrimEnd('\r').Split(' ');
            if (parts.Length < 8)
            {
                continue;
            }

            var address = parts[1].Split('@')[0];
            var port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            var flags = parts[2].Split(',');
            result.Add(new ClusterNodeView(port, flags.Contains("master"), flags.Any(f => f is "fail" or "fail?"), parts.Skip(8).ToArray()));
        }

        return result;
    }

    /// <summary>Runs one command on every running primary (for example <c>SCRIPT FLUSH</c>); returns the replies.</summary>
    public async Task<IReadOnlyList<string>> SendToEveryPrimaryAsync(CancellationToken ct, params string[] command)
    {
        var primaries = (await ViewAsync(ct).ConfigureAwait(false)).Where(v => v.IsPrimary && !v.Failed).Select(v => v.Port).ToHashSet();
        var replies = new List<string>();
        foreach (var node in _nodes.Where(n => n.IsRunning && primaries.Contains(n.Port)))
        {
            replies.Add(await node.SendRawAsync(ct, command).ConfigureAwait(false));
        }

        return replies;
    }

    /// <summary>Options for a <see cref="RedisDb"/> on the cluster (database 0, the only one there).</summary>
    public RedisDbOptions Options(Action<RedisDbOptions>? configure = null)
    {
        var options = new RedisDbOptions
        {
            ConnectionString = ConnectionString,
            Db = 0,
            OperationTimeout = TimeSpan.FromSeconds(3),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>One line of <c>CLUSTER NODES</c>: the node's port, whether it is a primary, whether it is failed, and its slot ranges.</summary>
public sealed record ClusterNodeView(int Port, bool IsPrimary, bool Failed, IReadOnlyList<string> Slots);
