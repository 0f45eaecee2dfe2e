using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>A write's reply and how many replicas confirmed it with <c>WAIT</c> (-1 when the WAIT itself failed).</summary>
internal readonly record struct Replicated<T>(T Reply, long Confirmed);

/// <summary>Durable writes: a write followed by <c>WAIT</c> on the same connection (see <see cref="RedisDbOptions.WaitForReplicas"/>).</summary>
public sealed partial class RedisDb
{
    /// <summary>Whether queue writes and lock acquisitions wait for replica confirmations.</summary>
    internal bool WaitsForReplicas => _options.WaitForReplicas > 0;

    /// <summary>
    /// Sends <paramref name="write"/> and, pipelined right behind it, <c>WAIT numreplicas timeout</c>; answers the
    /// write's reply and the number of replicas that confirmed. Meant to run as the operation of an execute helper,
    /// so the write keeps its contract (timeout, retries); a failed WAIT never fails the write (that would retry it).
    /// </summary>
    /// <remarks>
    /// WAIT counts the writes of the connection that sends it, so it must follow the write on the same connection.
    /// StackExchange.Redis sends every command for one server over that server's single interactive connection, in
    /// the order they are issued; <c>IDatabase.Execute("WAIT")</c> has no key, so on Cluster it would go to an
    /// arbitrary node. The server is therefore resolved from the write's key (the primary owning its slot) before
    /// the write is issued, and WAIT is sent through that server's <see cref="IServer"/>, which uses the same
    /// connection. If the slot moves between the two (a MOVED reply re-sends the write elsewhere), WAIT reports on
    /// a connection that did not write and may over-count: a window of one resharding or failover step.
    /// </remarks>
    internal async Task<Replicated<T>> WriteAndWaitAsync<TState, T>(IDatabase db, RedisKey key, TState state, Func<IDatabase, TState, Task<T>> write)
    {
        // Resolved first: when no primary is known this throws before anything was written.
        var server = db.Multiplexer.GetServer(key, flags: CommandFlags.DemandMaster);
        var written = write(db, state);
        var waited = server.ExecuteAsync("WAIT", new object[] { _options.WaitForReplicas, (long)_options.WaitForReplicasTimeout.TotalMilliseconds }, CommandFlags.None);
        T reply;
        try
        {
            reply = await written.ConfigureAwait(false);
        }
        catch
        {
            // The write's failure is what the caller sees; the WAIT behind it fails or answers too, unobserved otherwise.
            _ = waited.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }

        try
        {
            return new Replicated<T>(reply, (long)await waited.ConfigureAwait(false));
        }
        catch (Exception ex) when (IsTransient(ex) || ex is RedisException)
        {
            ReportFailure(null, ex); // NOPERM names the ACL rule to add (+wait)
            Log.ReplicaWaitFailed(_logger, key, ex);
            return new Replicated<T>(reply, -1);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> with the execute helper's contract, followed by <c>WAIT</c> (see
    /// <see cref="WriteAndWaitAsync"/>): its reply when <paramref name="wrote"/> says it wrote nothing (that reply is
    /// already the failure answer) or enough replicas confirmed it; otherwise <paramref name="fallback"/> after the
    /// warning of <see cref="Confirmed"/>. Never on the lean connection (see <see cref="RedisDbOptions.WaitForReplicas"/>).
    /// </summary>
    internal async Task<T> ExecuteDurablyAsync<TState, T>(string method, string key, TState state, Func<IDatabase, TState, Task<T>> write,
        Func<T, bool> wrote, T fallback, bool idempotent, CancellationToken ct)
    {
        var result = await ExecuteAsync<(RedisDb Db, string Key, TState State, Func<IDatabase, TState, Task<T>> Write), Replicated<T>?>(method, key, (this, key, state, write),
            static async (db, s) => (Replicated<T>?)await s.Db.WriteAndWaitAsync(db, s.Key, s, static (d, x) => x.Write(d, x.State)).ConfigureAwait(false),
            null, idempotent, ct).ConfigureAwait(false);
        if (result is not { } written)
        {
            return fallback;
        }

        return !wrote(written.Reply) || Confirmed(method, key, written.Confirmed) ? written.Reply : fallback;
    }

    /// <summary>
    /// True when enough replicas confirmed a write; otherwise logs the warning that the write exists on the primary
    /// only (a caller that retries may duplicate it), counts a failure of <paramref name="method"/>, and answers false.
    /// </summary>
    internal bool Confirmed(string method, string key, long confirmed)
    {
        if (confirmed >= _options.WaitForReplicas)
        {
            return true;
        }

        Diagnostics.RedisFlowMetrics.RecordFailure(method);
        Log.NotReplicated(_logger, method, key, confirmed < 0 ? "unknown" : confirmed.ToString(CultureInfo.InvariantCulture),
            _options.WaitForReplicas, (long)_options.WaitForReplicasTimeout.TotalMilliseconds);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1020, EventName = "RedisWriteNotReplicated", Level = LogLevel.Warning,
            Message = "RedisDb.{Method} for key '{Key}': the write exists on the primary but is not yet replicated ({Confirmed} of {Required} replicas confirmed within {TimeoutMs} ms); answering failure, and a caller that retries may create a duplicate")]
        public static partial void NotReplicated(ILogger logger, string method, string key, string confirmed, int required, long timeoutMs);

        [LoggerMessage(EventId = 1021, EventName = "RedisReplicaWaitFailed", Level = LogLevel.Debug, Message = "WAIT after a write to '{Key}' failed")]
        public static partial void ReplicaWaitFailed(ILogger logger, RedisKey key, Exception exception);
    }
}
