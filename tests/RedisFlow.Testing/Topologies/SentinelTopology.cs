using System.Globalization;
using RedisFlow.Embedded;

namespace RedisFlow.Testing.Topologies;

/// <summary>
/// One primary, one replica (or more) and three Sentinels watching them (quorum 2, <c>down-after-milliseconds</c>
/// 1000), so a killed primary is replaced within a few seconds.
/// </summary>
public sealed class SentinelTopology : IAsyncDisposable
{
    /// <summary>The name the Sentinels monitor the primary under.</summary>
    public const string ServiceName = "redisflow";

    private readonly List<RedisServerProcess> _dataNodes;
    private readonly List<RedisServerProcess> _sentinels;

    private SentinelTopology(List<RedisServerProcess> dataNodes, List<RedisServerProcess> sentinels)
    {
        _dataNodes = dataNodes;
        _sentinels = sentinels;
    }

    /// <summary>The primary, then the replicas, as started (roles change on failover).</summary>
    public IReadOnlyList<RedisServerProcess> DataNodes => _dataNodes;

    /// <summary>The three Sentinel processes.</summary>
    public IReadOnlyList<RedisServerProcess> Sentinels => _sentinels;

    /// <summary>A StackExchange.Redis connection string: the Sentinels and the service name.</summary>
    public string ConnectionString =>
        string.Join(',', _sentinels.Select(s => s.Endpoint)) + $",serviceName={ServiceName}";

    /// <summary>Starts the primary, one replica and the Sentinels, and waits until all of them know each other.</summary>
    public static Task<SentinelTopology> StartAsync(CancellationToken ct = default) => StartAsync(1, ct);

    /// <summary>Starts the primary, <paramref name="replicas"/> replicas and the Sentinels, and waits until all of them know each other.</summary>
    public static async Task<SentinelTopology> StartAsync(int replicas, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(replicas);
        var dataNodes = new List<RedisServerProcess>();
        var sentinels = new List<RedisServerProcess>();
        var topology = new SentinelTopology(dataNodes, sentinels);
        try
        {
            var primary = await RedisServerProcess.StartAsync(ct: ct).ConfigureAwait(false);
            dataNodes.Add(primary);
            var port = primary.Port.ToString(CultureInfo.InvariantCulture);
            var starting = Enumerable.Range(0, replicas).Select(_ => RedisServerProcess.StartAsync(["--replicaof", "127.0.0.1", port], ct)).ToList();
            foreach (var replica in starting)
            {
                dataNodes.Add(await replica.ConfigureAwait(false));
            }

            await Poll.UntilAsync(async () =>
            {
                foreach (var replica in dataNodes.Skip(1))
                {
                    var info = await replica.SendRawAsync(ct, "INFO", "replication").ConfigureAwait(false);
                    if (Resp.InfoField(info, "master_link_status") != "up")
                    {
                        return false;
                    }
                }

                return true;
            }, TimeSpan.FromSeconds(30), "the replicas to finish their first sync", ct).ConfigureAwait(false);
            var config = string.Join('\n',
                $"sentinel monitor {ServiceName} 127.0.0.1 {port} 2",
                $"sentinel down-after-milliseconds {ServiceName} 1000",
                $"sentinel failover-timeout {ServiceName} 5000",
                $"sentinel parallel-syncs {ServiceName} 1",
                string.Empty);
            var startingSentinels = Enumerable.Range(0, 3).Select(_ => RedisServerProcess.StartAsync(
                new RedisServerSettings { Sentinel = true, ConfigText = config }, ct)).ToList();
            foreach (var sentinel in startingSentinels)
            {
                sentinels.Add(await sentinel.ConfigureAwait(false));
            }

            await Poll.UntilAsync(async () =>
            {
                foreach (var sentinel in sentinels)
                {
                    var reply = await sentinel.SendRawAsync(ct, "SENTINEL", "MASTER", ServiceName).ConfigureAwait(false);
                    if (Resp.PairValue(reply, "num-slaves") != replicas.ToString(CultureInfo.InvariantCulture) || Resp.PairValue(reply, "num-other-sentinels") != "2")
                    {
                        return false;
                    }
                }

                return true;
            }, TimeSpan.FromSeconds(30), "the Sentinels to see the replicas and each other", ct).ConfigureAwait(false);
            return topology;
        }
        catch
        {
            await topology.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The port the Sentinels name as the primary now, or null when none of them answers.</summary>
    public async Task<int?> PrimaryPortAsync(CancellationToken ct = default)
    {
        foreach (var sentinel in _sentinels.Where(s => s.IsRunning))
        {
            var items = Resp.BulkStrings(await sentinel.SendRawAsync(ct, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName).ConfigureAwait(false));
            if (items.Count == 2 && int.TryParse(items[1], CultureInfo.InvariantCulture, out var port))
            {
                return port;
            }
        }

        return null;
    }

    /// <summary>The data node the Sentinels name as the primary now.</summary>
    public async Task<RedisServerProcess> PrimaryAsync(CancellationToken ct = default)
    {
        var port = await PrimaryPortAsync(ct).ConfigureAwait(false);
        return _dataNodes.Single(n => n.Port == port);
    }

    /// <summary>Options for a <see cref="RedisDb"/> through the Sentinels.</summary>
    public RedisDbOptions Options(Action<RedisDbOptions>? configure = null)
    {
        var options = new RedisDbOptions
        {
            ConnectionString = ConnectionString,
            Db = 0,
            OperationTimeout = TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var process in _sentinels.Concat(_dataNodes))
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }
}
