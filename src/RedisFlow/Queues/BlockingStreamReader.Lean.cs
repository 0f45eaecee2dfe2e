using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using RedisFlow.Transport;
using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>Blocking reads over lean connections (see the remarks of <see cref="BlockingStreamReader"/>).</summary>
internal sealed partial class BlockingStreamReader
{
    /// <summary>How long after a lean connection failed (or answered a stale route) reads stay on the multiplexer.</summary>
    private static readonly TimeSpan LeanRetryPause = TimeSpan.FromSeconds(1);

    /// <summary>How long after its credentials (or its client id) were refused reads stay on the multiplexer.</summary>
    private static readonly TimeSpan LeanRefusedPause = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan UnblockRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>How many times a cancelled lean read is sent <c>CLIENT UNBLOCK</c>, <see cref="UnblockRetryDelay"/> apart.</summary>
    private const int MaxUnblocks = 20;

    private readonly LeanSettings? _leanSettings;
    private readonly TimeSpan _operationTimeout;

    /// <summary>
    /// One lean connection per server this reader has read from (a pooled reader serves queues of several Cluster
    /// nodes); one read at a time uses them.
    /// </summary>
    private readonly ConcurrentDictionary<EndPoint, LeanBlockingConnection> _leans = new();

    private volatile bool _leanStale;

    /// <summary>The connected primary found by the last read (not on a cluster); learned again after a reconnect, failover or new map.</summary>
    private EndPoint? _primary;
    private long _leanRetryAt;
    private long _leanReads;
    private long _multiplexerReads;

    /// <summary>Reads answered over a lean connection (for tests and diagnostics).</summary>
    public long LeanReads => Interlocked.Read(ref _leanReads);

    /// <summary>Reads sent through the multiplexer's blocking connection (for tests and diagnostics).</summary>
    public long MultiplexerReads => Interlocked.Read(ref _multiplexerReads);

    /// <summary>
    /// The read over the lean connection: its entries, or null when the multiplexer must run it (an error reply, which
    /// means the read did not run, or a failed connection: entries Redis may have delivered to it are in this
    /// consumer's pending list, for a claim). Cancelling ends the read with <c>CLIENT UNBLOCK</c> on its server.
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
                var (unblockRead, node, id, pending) = ((Func<EndPoint?, long, Task>, EndPoint, long, Task<RespReply>))s!;
                _ = UnblockUntilEndedAsync(unblockRead, node, id, pending);
            }, (unblock, lean.EndPoint, lean.ClientId, read))
            : default;
        RespReply reply;
        try
        {
            reply = await read.ConfigureAwait(false);
        }
        catch (IOException)
        {
            DropLean(lean, LeanRetryPause);
            return null;
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }

        if (reply.IsError)
        {
            // A stale route (MOVED, READONLY after a switch-over, a read unblocked because the server changed role):
            // the multiplexer answers this read and the next ones for a moment. Any other error (NOGROUP, WRONGTYPE,
            // UNBLOCKED for a deleted stream...) keeps the connection: the multiplexer answers it its usual way.
            if (LeanTransport.MeansStaleRoute(reply) || (reply.IsErrorOf("UNBLOCKED") && reply.Text!.Contains("state changed", StringComparison.Ordinal)))
            {
                DropLean(lean, LeanRetryPause);
            }

            return null;
        }

        Interlocked.Increment(ref _leanReads);
        return StreamLeanCommands.ParseReadReply(reply, queues)
               ?? throw new InvalidDataException($"XREADGROUP answered with an unexpected reply shape ({reply.Kind}).");
    }

    /// <summary>
    /// Ends a lean read with <c>CLIENT UNBLOCK</c> on its server, sent again while it has not ended (an unblock that
    /// reached the server before the read did would miss it), at most <see cref="MaxUnblocks"/> times.
    /// </summary>
    private static async Task UnblockUntilEndedAsync(Func<EndPoint?, long, Task> unblock, EndPoint node, long clientId, Task read)
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
    /// The lean connection to the server the read of <paramref name="queue"/> goes to, opened if this reader has none
    /// there yet; null when there is none to use now (off, in its pause after a failure or refusal, no connected
    /// server, or this reader closed).
    /// </summary>
    private async ValueTask<LeanBlockingConnection?> LeanConnectionAsync(string queue, CancellationToken ct)
    {
        if (_leanSettings is null || _disposed || Stopwatch.GetTimestamp() < Interlocked.Read(ref _leanRetryAt))
        {
            return null;
        }

        if (_leanStale)
        {
            // A reconnect, a failover or a new slot map: the routes are learned again.
            _leanStale = false;
            CloseLeanConnections();
        }

        if (LeanTarget(queue) is not { } target)
        {
            return null;
        }

        if (_leans.TryGetValue(target, out var current))
        {
            if (!current.IsClosed)
            {
                return current;
            }

            DropLean(current, null);
        }

        var opening = LeanBlockingConnection.OpenAsync(target, _leanSettings, CancellationToken.None);
        try
        {
            var opened = await opening.WaitAsync(ct).ConfigureAwait(false);
            if (opened.ClientId < 0)
            {
                // A read nobody can end early would hold a stop for a whole block: the multiplexer reads instead.
                opened.Dispose();
                Pause(LeanRefusedPause);
                return null;
            }

            _leans[target] = opened;
            if (_disposed)
            {
                CloseLeanConnections();
                return null;
            }

            return opened;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancelled while connecting: the connection is closed when it is ready, not left open.
            _ = opening.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
        catch (LeanAuthenticationException)
        {
            // Tried again after a longer pause, so a password fixed on the server is picked up; meanwhile the
            // multiplexer's connection answers, once its own identity is checked (see ReadReplyAsync).
            Pause(LeanRefusedPause);
            return null;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException
                                       or InvalidDataException or OperationCanceledException)
        {
            Pause(LeanRetryPause);
            return null;
        }
    }

    /// <summary>The server the multiplexer sends the read of <paramref name="queue"/> to: its slot owner on a cluster, else the connected primary.</summary>
    private EndPoint? LeanTarget(string queue)
    {
        try
        {
            if (_cluster)
            {
                var server = _connection.GetServer((RedisKey)queue);
                return server.IsConnected ? server.EndPoint : null;
            }

            if (_primary is { } known)
            {
                return known;
            }

            foreach (var server in _connection.GetServers())
            {
                if (server.IsConnected && !server.IsReplica)
                {
                    _primary = server.EndPoint;
                    return server.EndPoint;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or RedisException)
        {
            // The slot's owner is not known now (a failover): the multiplexer's read reports what is wrong.
        }

        return null;
    }

    private void DropLean(LeanBlockingConnection lean, TimeSpan? pause)
    {
        _leans.TryRemove(new KeyValuePair<EndPoint, LeanBlockingConnection>(lean.EndPoint, lean));
        lean.Dispose();
        if (pause is { } p)
        {
            _primary = null; // a failure or a stale route: the primary is looked up again after the pause
            Pause(p);
        }
    }

    private void Pause(TimeSpan pause) =>
        Interlocked.Exchange(ref _leanRetryAt, Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency));

    private void CloseLeanConnections()
    {
        _primary = null;
        foreach (var lean in _leans.Values)
        {
            DropLean(lean, null);
        }
    }
}
