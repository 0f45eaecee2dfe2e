using System.Collections.Concurrent;
using System.Net;
using RedisFlow.Transport;
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
/// <para>
/// With <see cref="RedisDbOptions.LeanConnection"/> on, a read goes first over a <see cref="LeanBlockingConnection"/>
/// to the same server (the multiplexer's route: the queue's slot owner, or its primary), whose own thread blocks in
/// the reply: the entries reach the caller without the multiplexer's thread hops (delivery latency), and an idle read
/// is one command per block (the lean connection selected its database once). A read the lean connection cannot
/// answer (not connected, refused, an error reply such as NOGROUP or MOVED, a failure) goes through the multiplexer
/// as above, which gives it the library's usual handling.
/// </para>
/// </remarks>
internal sealed partial class BlockingStreamReader : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly bool _cluster;
    private readonly ConcurrentDictionary<EndPoint, long> _clusterClientIds = new();
    private readonly Func<IEnumerable<IServer>, bool, Task<bool>> _runsAsConfiguredUser;
    private long _clientId = -1;
    private bool _identityRefused;
    private volatile bool _disposed;

    private BlockingStreamReader(ConnectionMultiplexer connection, int database, bool cluster, LeanSettings? leanSettings, TimeSpan operationTimeout,
        Func<IEnumerable<IServer>, bool, Task<bool>> runsAsConfiguredUser)
    {
        _connection = connection;
        _runsAsConfiguredUser = runsAsConfiguredUser;
        _database = connection.GetDatabase(database);
        _cluster = cluster;
        _leanSettings = leanSettings;
        _operationTimeout = operationTimeout;
        // A reconnect gives the connection a new client id.
        connection.ConnectionRestored += (_, _) =>
        {
            Interlocked.Exchange(ref _clientId, -1);
            _clusterClientIds.Clear();
            _leanStale = true;
        };
        // A failover or a changed role (Sentinel switch-over, slot map): the lean connection follows the new route.
        connection.ConnectionFailed += (_, _) => _leanStale = true;
        connection.ConfigurationChanged += (_, _) => _leanStale = true;
    }

    /// <summary>
    /// Whether the code awaiting a read may run on the lean connection's thread (see
    /// <see cref="LeanBlockingConnection.SendAsync"/>): only for a renter whose code after a read is short and never
    /// blocks (the queue worker's fetch loop dispatches and reads again). Reset when the reader goes back to the pool.
    /// </summary>
    public bool InlineCompletions { get; set; }

    /// <summary>The longest block a read may ask for; the connection's command timeout is set above it.</summary>
    public static TimeSpan MaxBlock { get; } = TimeSpan.FromSeconds(30);

    /// <param name="mainConfig">The main connection's configuration (endpoints, credentials, TLS, database).</param>
    /// <param name="options">The instance's options (its operation timeout bounds a read beyond its block).</param>
    /// <param name="cluster">Whether the server is a Redis Cluster.</param>
    /// <param name="lean">How to open a lean connection for the reads; null to read through the multiplexer only.</param>
    /// <param name="runsAsConfiguredUser">
    /// Whether connections run as the configured user (see <see cref="RedisDb.RunsAsConfiguredUserAsync"/>): asked
    /// before each read through the multiplexer (the fallback; it can reconnect between two reads), since
    /// StackExchange.Redis goes on after a refused AUTH and a stock server then runs its commands as the password-less
    /// <c>default</c> user.
    /// </param>
    public static async Task<BlockingStreamReader> ConnectAsync(ConfigurationOptions mainConfig, RedisDbOptions options, bool cluster, LeanSettings? lean,
        Func<IEnumerable<IServer>, bool, Task<bool>> runsAsConfiguredUser)
    {
        var config = mainConfig.Clone();
        config.ClientName = (mainConfig.ClientName ?? options.ClientName) + ":blocking";
        var timeout = (int)Math.Min(int.MaxValue, (MaxBlock + options.OperationTimeout).TotalMilliseconds);
        config.AsyncTimeout = timeout;
        config.SyncTimeout = timeout;
        // A read is never queued while disconnected and sent after a reconnect: its identity is checked right before
        // it is sent (see ReadReplyAsync), and it could not be for a command sent from the backlog.
        config.BacklogPolicy = BacklogPolicy.FailFast;
        var connection = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        return new BlockingStreamReader(connection, config.DefaultDatabase ?? 0, cluster,
            lean is null ? null : lean with { ClientName = config.ClientName }, options.OperationTimeout,
            runsAsConfiguredUser);
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
        (await ReadStreamsAsync([queue], group, consumer, count, block, unblock, ct).ConfigureAwait(false))[0];

    /// <summary>
    /// The same over several streams in one command (<c>STREAMS q1 q2 &gt; &gt;</c>; on Cluster they must share a hash
    /// slot): the entries of each queue, in the order given. COUNT applies to each stream.
    /// </summary>
    public Task<StreamEntry[][]> ReadAsync(IReadOnlyList<string> queues, string group, string consumer, int count, TimeSpan block,
        Func<EndPoint?, long, Task> unblock, CancellationToken ct) =>
        ReadStreamsAsync(queues, group, consumer, count, block, unblock, ct);

    private async Task<StreamEntry[][]> ReadStreamsAsync(IReadOnlyList<string> queues, string group, string consumer, int count, TimeSpan block,
        Func<EndPoint?, long, Task> unblock, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, MaxBlock);
        ct.ThrowIfCancellationRequested();
        var blockMs = Math.Max(1, (long)block.TotalMilliseconds);
        if (await LeanConnectionAsync(queues[0], ct).ConfigureAwait(false) is { } lean
            && await TryLeanReadAsync(lean, queues, group, consumer, count, blockMs, block, unblock, ct).ConfigureAwait(false) is { } entries)
        {
            return entries;
        }

        if (ct.IsCancellationRequested)
        {
            // A lean read that failed while being cancelled: no new read (it could outlast the stop); nothing was read.
            return [.. queues.Select(static _ => Array.Empty<StreamEntry>())];
        }

        return StreamReplies.ParseReadReply(await ReadReplyAsync(queues, group, consumer, count, blockMs, unblock, ct).ConfigureAwait(false), queues);
    }

    private async Task<RedisResult> ReadReplyAsync(IReadOnlyList<string> queues, string group, string consumer, int count, long blockMs,
        Func<EndPoint?, long, Task> unblock, CancellationToken ct)
    {
        // The nodes this read can reach: the queue's slot owner on a cluster, else every connected data node.
        IServer[] servers;
        try
        {
            servers = _cluster ? [_connection.GetServer((RedisKey)queues[0])] : _connection.GetServers();
        }
        catch (InvalidOperationException ex)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, $"No node serves {queues[0]} now: {ex.Message}", ex);
        }

        _identityRefused = !await _runsAsConfiguredUser(servers, _identityRefused).ConfigureAwait(false);
        if (_identityRefused)
        {
            throw new RedisConnectionException(ConnectionFailureType.AuthenticationFailure,
                "Redis refused the credentials of a blocking-read connection (it would have run as another user): no read is sent on it.");
        }

        Interlocked.Increment(ref _multiplexerReads);
        var (node, clientId) = await ClientIdAsync(queues[0]).ConfigureAwait(false);

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
        _disposed = true;
        CloseLeanConnections();
        await _connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
