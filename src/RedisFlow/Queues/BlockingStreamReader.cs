using System.Collections.Concurrent;
using System.Diagnostics;
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
internal sealed class BlockingStreamReader : IAsyncDisposable
{
    /// <summary>How long a lean connection that failed (or answered a stale route) is left before another is opened.</summary>
    private static readonly TimeSpan LeanRetryPause = TimeSpan.FromSeconds(1);

    /// <summary>How many times a cancelled lean read is sent <c>CLIENT UNBLOCK</c>, <see cref="UnblockRetryDelay"/> apart.</summary>
    private const int MaxUnblocks = 20;

    private static readonly TimeSpan UnblockRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>How long after its credentials were refused (or its client id was) a lean connection is tried again.</summary>
    private static readonly TimeSpan LeanRefusedPause = TimeSpan.FromSeconds(10);

    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly bool _cluster;
    private readonly LeanSettings? _leanSettings;
    private readonly TimeSpan _operationTimeout;
    private readonly ConcurrentDictionary<EndPoint, long> _clusterClientIds = new();
    private readonly Func<IConnectionMultiplexer, bool, Task<bool>> _runsAsConfiguredUser;
    private long _clientId = -1;
    private volatile bool _identityVerified;
    private bool _identityRefused;
    private LeanBlockingConnection? _lean;
    private volatile bool _leanStale;
    private long _leanRetryAt;

    private BlockingStreamReader(ConnectionMultiplexer connection, int database, bool cluster, LeanSettings? leanSettings, TimeSpan operationTimeout,
        Func<IConnectionMultiplexer, bool, Task<bool>> runsAsConfiguredUser)
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
            _identityVerified = false;
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

    /// <summary>Reads answered over the lean connection (for tests and diagnostics).</summary>
    public long LeanReads => Interlocked.Read(ref _leanReads);

    private long _leanReads;

    /// <summary>The longest block a read may ask for; the connection's command timeout is set above it.</summary>
    public static TimeSpan MaxBlock { get; } = TimeSpan.FromSeconds(30);

    /// <param name="mainConfig">The main connection's configuration (endpoints, credentials, TLS, database).</param>
    /// <param name="options">The instance's options (its operation timeout bounds a read beyond its block).</param>
    /// <param name="cluster">Whether the server is a Redis Cluster.</param>
    /// <param name="lean">How to open a lean connection for the reads; null to read through the multiplexer only.</param>
    /// <param name="runsAsConfiguredUser">
    /// Whether a connection runs as the configured user (see <see cref="RedisDb.RunsAsConfiguredUserAsync"/>): asked
    /// before the multiplexer's first read and after each of its reconnects, since StackExchange.Redis goes on after a
    /// refused AUTH and a stock server then runs its commands as the password-less <c>default</c> user.
    /// </param>
    public static async Task<BlockingStreamReader> ConnectAsync(ConfigurationOptions mainConfig, RedisDbOptions options, bool cluster, LeanSettings? lean,
        Func<IConnectionMultiplexer, bool, Task<bool>> runsAsConfiguredUser)
    {
        var config = mainConfig.Clone();
        config.ClientName = (mainConfig.ClientName ?? options.ClientName) + ":blocking";
        var timeout = (int)Math.Min(int.MaxValue, (MaxBlock + options.OperationTimeout).TotalMilliseconds);
        config.AsyncTimeout = timeout;
        config.SyncTimeout = timeout;
        var connection = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        return new BlockingStreamReader(connection, config.DefaultDatabase ?? 0, cluster,
            lean is null ? null : lean with { ClientName = config.ClientName, IoTimeout = MaxBlock + options.OperationTimeout }, options.OperationTimeout,
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

        return StreamReplies.ParseReadReply(await ReadReplyAsync(queues, group, consumer, count, blockMs, unblock, ct).ConfigureAwait(false), queues);
    }

    /// <summary>
    /// The read over the lean connection: its entries, or null when the multiplexer must run it (an error reply, which
    /// means the read did not run, or a failed connection: entries Redis may have delivered to it are in this
    /// consumer's pending list, for a claim). Cancelling ends the read through <paramref name="unblock"/>, as below.
    /// </summary>
    private async Task<StreamEntry[][]?> TryLeanReadAsync(LeanBlockingConnection lean, IReadOnlyList<string> queues, string group, string consumer, int count,
        long blockMs, TimeSpan block, Func<EndPoint?, long, Task> unblock, CancellationToken ct)
    {
        var writer = lean.Writer.Begin(9 + (2 * queues.Count)).Arg("XREADGROUP").Arg("GROUP").Arg(group).Arg(consumer).Arg("COUNT").Arg(count)
            .Arg("BLOCK").Arg(blockMs).Arg("STREAMS");
        foreach (var queue in queues)
        {
            writer.Arg(queue);
        }

        for (var i = 0; i < queues.Count; i++)
        {
            writer.Arg(">");
        }

        var read = lean.SendAsync(block + _operationTimeout, InlineCompletions);
        var registration = ct.CanBeCanceled
            ? ct.Register(static s =>
            {
                var (unblockRead, node, id, pending) = ((Func<EndPoint?, long, Task>, EndPoint?, long, Task<RespReply>))s!;
                _ = UnblockUntilEndedAsync(unblockRead, node, id, pending);
            }, (unblock, _cluster ? lean.EndPoint : null, lean.ClientId, read))
            : default;
        RespReply reply;
        try
        {
            reply = await read.ConfigureAwait(false);
        }
        catch (IOException)
        {
            DropLean(lean);
            return null;
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }

        if (reply.IsError)
        {
            if (LeanTransport.MeansStaleRoute(reply) || reply.IsErrorOf("UNBLOCKED"))
            {
                // A stale route (MOVED, READONLY after a switch-over, UNBLOCKED on a role change...): the multiplexer
                // answers this read and the next ones until the pause ends.
                DropLean(lean);
            }

            return null;
        }

        Interlocked.Increment(ref _leanReads);
        return StreamLeanCommands.ParseReadReply(reply, queues)
               ?? throw new InvalidDataException($"XREADGROUP answered with an unexpected reply shape ({reply.Kind}).");
    }

    /// <summary>
    /// Ends a lean read with <c>CLIENT UNBLOCK</c>, sent again while it has not ended (an unblock that reached the
    /// server before the read did would miss it), at most <see cref="MaxUnblocks"/> times.
    /// </summary>
    private static async Task UnblockUntilEndedAsync(Func<EndPoint?, long, Task> unblock, EndPoint? node, long clientId, Task read)
    {
        for (var attempt = 0; attempt < MaxUnblocks && !read.IsCompleted; attempt++)
        {
            try
            {
                await unblock(node, clientId).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisDb.IsTransient(ex) || ex is RedisException or ArgumentException)
            {
                return; // the read then ends at its block timeout instead
            }

            await Task.WhenAny(read, Task.Delay(UnblockRetryDelay)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The lean connection to the server the read of <paramref name="queue"/> goes to: the open one when it still is
    /// that server's, else a new one; null when there is none to use now (off, refused, in its pause after a
    /// failure, or no connected server).
    /// </summary>
    private async ValueTask<LeanBlockingConnection?> LeanConnectionAsync(string queue, CancellationToken ct)
    {
        if (_leanSettings is null || Stopwatch.GetTimestamp() < _leanRetryAt)
        {
            return null;
        }

        var current = _lean;
        if (_leanStale)
        {
            _leanStale = false;
            if (current is not null)
            {
                DropLean(current, pause: false);
                current = null;
            }
        }

        if (LeanTarget(queue) is not { } target)
        {
            return null;
        }

        if (current is not null && !current.IsClosed && current.EndPoint.Equals(target))
        {
            return current;
        }

        if (current is not null)
        {
            DropLean(current, pause: false);
        }

        try
        {
            var opened = await LeanBlockingConnection.OpenAsync(target, _leanSettings, ct).ConfigureAwait(false);
            if (opened.ClientId < 0)
            {
                // A read nobody can end early would hold a stop for a whole block: the multiplexer reads instead.
                opened.Dispose();
                _leanRetryAt = Stopwatch.GetTimestamp() + (long)(LeanRefusedPause.TotalSeconds * Stopwatch.Frequency);
                return null;
            }

            _lean = opened;
            return opened;
        }
        catch (LeanAuthenticationException)
        {
            // Tried again after a longer pause, so a password fixed on the server is picked up; meanwhile the
            // multiplexer's connection answers, once its own identity is checked (see ReadReplyAsync).
            _leanRetryAt = Stopwatch.GetTimestamp() + (long)(LeanRefusedPause.TotalSeconds * Stopwatch.Frequency);
            return null;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException
                                       or InvalidDataException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            _leanRetryAt = Stopwatch.GetTimestamp() + (long)(LeanRetryPause.TotalSeconds * Stopwatch.Frequency);
            return null;
        }
    }

    /// <summary>The server the multiplexer sends the read of <paramref name="queue"/> to: its slot owner on a cluster, else the connected primary.</summary>
    private EndPoint? LeanTarget(string queue)
    {
        if (_cluster)
        {
            var server = _connection.GetServer((RedisKey)queue);
            return server.IsConnected ? server.EndPoint : null;
        }

        foreach (var server in _connection.GetServers())
        {
            if (server.IsConnected && !server.IsReplica)
            {
                return server.EndPoint;
            }
        }

        return null;
    }

    private void DropLean(LeanBlockingConnection lean, bool pause = true)
    {
        lean.Dispose();
        if (ReferenceEquals(_lean, lean))
        {
            _lean = null;
        }

        if (pause)
        {
            _leanRetryAt = Stopwatch.GetTimestamp() + (long)(LeanRetryPause.TotalSeconds * Stopwatch.Frequency);
        }
    }

    private async Task<RedisResult> ReadReplyAsync(IReadOnlyList<string> queues, string group, string consumer, int count, long blockMs,
        Func<EndPoint?, long, Task> unblock, CancellationToken ct)
    {
        if (!_identityVerified)
        {
            _identityRefused = !await _runsAsConfiguredUser(_connection, _identityRefused).ConfigureAwait(false);
            if (_identityRefused)
            {
                throw new RedisConnectionException(ConnectionFailureType.AuthenticationFailure,
                    "Redis refused the credentials of a blocking-read connection (it would have run as another user): no read is sent on it.");
            }

            _identityVerified = true;
        }

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
        _lean?.Dispose();
        await _connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
