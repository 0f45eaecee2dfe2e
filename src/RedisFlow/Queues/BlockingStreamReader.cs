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
/// An idle consumer costs one read per block timeout (the database is selected once per socket, not before every
/// read: see <see cref="SendRead"/>), and an entry is handed over by Redis the
/// moment it is added, with no polling delay. A read can be ended early from the main connection with <c>CLIENT UNBLOCK</c>
/// (this connection's id is learned with <c>CLIENT ID</c>, again after a reconnect). On Redis Cluster a client id
/// belongs to one node, so the id is learned per node (on the node owning the queue's slot, where the read goes) and
/// the unblock is sent to that same node.
/// </remarks>
internal sealed class BlockingStreamReader : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly int _databaseNumber;
    private readonly bool _cluster;
    private readonly ConcurrentDictionary<EndPoint, long> _clusterClientIds = new();
    private long _clientId = -1;

    // The socket (by SE.Redis's count of sockets of this connection) known to have selected the database.
    private long _selectedSocket = -1;

    private BlockingStreamReader(ConnectionMultiplexer connection, int database, bool cluster)
    {
        _connection = connection;
        _database = connection.GetDatabase(database);
        _databaseNumber = database;
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
        Func<EndPoint?, long, Task> unblock, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, MaxBlock);
        var (node, clientId) = await ClientIdAsync(queue).ConfigureAwait(false);

        var blockMs = Math.Max(1, (long)block.TotalMilliseconds);
        var read = SendRead(queue, group, consumer, count, blockMs);
        if (!ct.CanBeCanceled || read.IsCompleted)
        {
            return StreamReplies.ParseReadReply(await read.ConfigureAwait(false));
        }

        try
        {
            return StreamReplies.ParseReadReply(await read.WaitAsync(ct).ConfigureAwait(false));
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

            return StreamReplies.ParseReadReply(await read.ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Sends the XREADGROUP. StackExchange.Redis cannot know what an ad-hoc command does to the connection's
    /// database, so a database-specific ad-hoc command is preceded by a SELECT every time. This connection carries
    /// nothing but these reads, so the SELECT is sent once per socket: the first read on a socket goes through the
    /// database (SELECT pipelined before it), later ones without a database (no SELECT), and the socket stays on it.
    /// On Cluster there is only database 0 and every read goes through the database as before.
    /// </summary>
    private Task<RedisResult> SendRead(string queue, string group, string consumer, int count, long blockMs)
    {
        object[] args = ["GROUP", group, consumer, "COUNT", count, "BLOCK", blockMs, "STREAMS", (RedisKey)queue, ">"];
        if (_cluster)
        {
            return _database.ExecuteAsync("XREADGROUP", args);
        }

        // The primary the database-specific read would go to (with Sentinel or listed replicas, not just any endpoint).
        var server = _connection.GetServer((RedisKey)queue);
        var socket = server.GetCounters().Interactive.SocketCount;
        if (Interlocked.Read(ref _selectedSocket) == socket && server.IsConnected)
        {
            return server.ExecuteAsync(null, "XREADGROUP", args);
        }

        var read = _database.ExecuteAsync("XREADGROUP", args);
        Interlocked.Exchange(ref _selectedSocket, socket);
        return read;
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
