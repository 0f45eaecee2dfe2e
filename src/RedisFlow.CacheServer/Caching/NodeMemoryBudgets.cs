using System.Net;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// The memory guard of one cycle per Redis node: on a Cluster every primary has its own <c>maxmemory</c> and
/// <c>used_memory</c>, and a file only fills the primary that serves its key's slot, so each file is checked against
/// that primary's budget (one full node must not stop the others, nor a random node's figures hide a full one). On
/// a single server (or Sentinel's primary) there is one budget.
/// </summary>
internal sealed class NodeMemoryBudgets
{
    private readonly MemoryBudget _single;
    private readonly IDatabase? _router;
    private readonly Dictionary<EndPoint, MemoryBudget> _byPrimary;

    private NodeMemoryBudgets(MemoryBudget single, IDatabase? router, Dictionary<EndPoint, MemoryBudget> byPrimary)
    {
        _single = single;
        _router = router;
        _byPrimary = byPrimary;
    }

    /// <summary>The budgets already above the guard (nothing is cached on those nodes this cycle).</summary>
    public IEnumerable<MemoryBudget> Over => _router is null
        ? (_single.IsOver ? [_single] : [])
        : _byPrimary.Values.Where(b => b.IsOver);

    /// <summary>Samples <c>INFO memory</c> of the server, or of every connected Cluster primary.</summary>
    public static async Task<NodeMemoryBudgets> SampleAsync(RedisDb db, double fraction, CancellationToken ct)
    {
        if (!db.IsCluster || fraction >= 1)
        {
            return new NodeMemoryBudgets(await MemoryBudget.SampleAsync(db, fraction, ct).ConfigureAwait(false), null, []);
        }

        var connection = await db.GetConnectionAsync(ct).ConfigureAwait(false);
        var byPrimary = new Dictionary<EndPoint, MemoryBudget>();
        foreach (var server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            var info = await db.ExecuteAsync<IServer, RedisServerInfo?>("CacheMemoryGuard", null, server, static async (_, s) =>
                RedisServerInfo.Parse((await s.ExecuteAsync("INFO", "memory").ConfigureAwait(false)).ToString()),
                null, idempotent: true, ct).ConfigureAwait(false);
            byPrimary[server.EndPoint] = MemoryBudget.FromInfo(info, fraction);
        }

        return new NodeMemoryBudgets(MemoryBudget.Unlimited, connection.GetDatabase(), byPrimary);
    }

    /// <summary>
    /// The budget of the node that stores <paramref name="cacheKey"/> (the file's claim and temporary keys share its
    /// slot). A primary not sampled (it took over after the sample) is not limited this cycle; the next samples it.
    /// </summary>
    public MemoryBudget For(string cacheKey)
    {
        if (_router is null)
        {
            return _single;
        }

        var endpoint = _router.IdentifyEndpoint(cacheKey);
        return endpoint is not null && _byPrimary.TryGetValue(endpoint, out var budget) ? budget : MemoryBudget.Unlimited;
    }
}
