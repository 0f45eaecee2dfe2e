using System.Collections.Concurrent;
using System.Net;
using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>
/// A connection used only for <c>XREADGROUP ... BLOCK</c>. A blocking command holds its connection until it
/// returns, so it cannot share the <see cref="RedisDb"/> multiplexer (every other call would wait behind it);
/// this is a second multiplexer with the same endpoints, auth, TLS and database, created once and reused
/// (pooled by <see cref="RedisDb"/>), carrying one blocking read at a time.
/// </summary>
/// <remarks>
/// An idle consumer costs one read per block timeout (StackExchange.Redis pipelines a SELECT before every ad-hoc
/// command, even on the same database, since it cannot know what such a command does to the connection's database:
/// two commands, one round trip; a longer block makes both rarer), and an entry is handed over by Redis the
/// moment it is added, with no polling delay. A read can be ended early from the main connection with <c>CLIENT UNBLOCK</c>
/// (this connection's id is learned with <c>CLIENT ID</c>, again after a reconnect). On Redis Cluster a client id
/// belongs to one node, so the id is learned per node (on the node owning the queue's slot, where the read goes) and
/// the unblock is sent to that same node.
/// </remarks>
internal sealed class BlockingStreamReader : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly bool _cluster;
    private readonly ConcurrentDictionary<EndPoint, long> _clusterClientIds = new();
    private long _clientId = -1;

    private BlockingStreamReader(ConnectionMultiplexer connection, int database, bool cluster)
    {
        _connection = connection;
        _database = connection.GetDatabase(database);
        _cluster = cluster;
        // A reconnect gives the connection a new client id.
        connection.ConnectionRestored += (_, _) =>
        {
            Interlocked.Exchange(ref _clientId, -1);
            _clusterClientIds.Clear();
        };
    }

    /// <summary>The longest block a read may ask for; the connection's command timeout is set above it.</summary>
    public static TimeSpan MaxBlock { get; } = TimeSpan.FromSeconds(30);

    public static async Task<BlockingStreamReader> ConnectAsync(ConfigurationOptions mainConfig, RedisDbOptions options, bool cluster)
    {
        var config = mainConfig.Clone();
        config.ClientName = (mainConfig.ClientName ?? options.ClientName) + ":blocking";
        var timeout = (int)Math.Min(int.MaxValue, (MaxBlock + options.OperationTimeout).TotalMilliseconds);
        config.AsyncTimeout = timeout;
        config.SyncTimeout = timeout;
        var connection = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        return new BlockingStreamReader(connection, config.DefaultDatabase ?? 0, cluster);
    }

    /// <summary>
    /// XREADGROUP GROUP <paramref name="group"/> <paramref name="consumer"/> COUNT n BLOCK ms STREAMS q &gt;.
    /// Returns the entries (empty on timeout). When <paramref name="ct"/> fires, the read is unblocked through
    /// <paramref name="unblock"/> (given the node, null when not a cluster, and this connection's client id there)
    /// and its reply still awaited: entries Redis delivered meanwhile are returned, not dropped (they are already in
    /// this consumer's pending list).
    /// </summary>
    /// <exception cref="RedisServerException">An error reply such as NOGROUP.</exception>
    public async Task<StreamEntry[]> ReadAsync(string queue, string group, string consumer, int count, TimeSpan block,
        Func<EndPoint?, long, Task> unblock, CancellationToken ct) =>
        StreamReplies.ParseReadReply(await ReadReplyAsync([queue], group, consumer, count, block, unblock, ct).ConfigureAwait(false));

    /// <summary>
    /// The same over several streams in one command (<c>STREAMS q1 q2 &gt; &gt;</c>; on Cluster they must share a hash
    /// slot): the entries of each queue, in the order given. COUNT applies to each stream.
    /// </summary>
    public async Task<StreamEntry[][]> ReadAsync(IReadOnlyList<string> queues, string group, string consumer, int count, TimeSpan block,
        Func<EndPoint?, long, Task> unblock, CancellationToken ct) =>
        StreamReplies.ParseReadReply(await ReadReplyAsync(queues, group, consumer, count, block, unblock, ct).ConfigureAwait(false), queues);

    private async Task<RedisResult> ReadReplyAsync(IReadOnlyList<string> queues, string group, string consumer, int count, TimeSpan block,
        Func<EndPoint?, long, Task> unblock, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, MaxBlock);
        var (node, clientId) = await ClientIdAsync(queues[0]).ConfigureAwait(false);

        var blockMs = Math.Max(1, (long)block.TotalMilliseconds);
        var args = new object[8 + (2 * queues.Count)];
        object[] head = ["GROUP", group, consumer, "COUNT", count, "BLOCK", blockMs, "STREAMS"];
        head.CopyTo(args, 0);
        for (var i = 0; i < queues.Count; i++)
        {
            args[8 + i] = (RedisKey)queues[i];
            args[8 + queues.Count + i] = ">";
        }

        var read = _database.ExecuteAsync("XREADGROUP", args);
        if (!ct.CanBeCanceled || read.IsCompleted)
        {
            return await read.ConfigureAwait(false);
        }

        try
        {
            return await read.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (clientId >= 0)
            {
                try
                {
                    await unblock(node, clientId).ConfigureAwait(false);
                }
                catch (Exception ex) when (RedisDb.IsTransient(ex) || ex is RedisException or ArgumentException)
                {
                    // The read then ends at its block timeout instead.
                }
            }

            return await read.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// This connection's client id on the node the read of <paramref name="queue"/> goes to (learned once per node);
    /// -1 when it cannot be learned now, and the read can then only end at its block timeout.
    /// </summary>
    private async Task<(EndPoint? Node, long ClientId)> ClientIdAsync(string queue)
    {
        if (!_cluster)
        {
            if (Interlocked.Read(ref _clientId) < 0)
            {
                var id = (long)await _database.ExecuteAsync("CLIENT", "ID").ConfigureAwait(false);
                Interlocked.Exchange(ref _clientId, id);
            }

            return (null, Interlocked.Read(ref _clientId));
        }

        try
        {
            // The same node and connection the keyed XREADGROUP below is routed to.
            var server = _connection.GetServer((RedisKey)queue);
            var node = server.EndPoint;
            if (!_clusterClientIds.TryGetValue(node, out var id))
            {
                id = (long)await server.ExecuteAsync("CLIENT", "ID").ConfigureAwait(false);
                _clusterClientIds[node] = id;
            }

            return (node, id);
        }
        catch (Exception ex) when (RedisDb.IsTransient(ex) || ex is RedisException or InvalidOperationException)
        {
            // The slot's owner is unknown or unreachable (a failover): the read itself reports the failure.
            return (null, -1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
