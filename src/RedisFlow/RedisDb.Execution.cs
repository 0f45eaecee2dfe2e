using System.Diagnostics;
using System.Net.Sockets;
using RedisFlow.Diagnostics;
using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    /// <summary>
    /// A send that took longer than this blocked inside StackExchange.Redis (a connection being replaced), so its
    /// own timeout may no longer fit in the budget: such a task is awaited with a timer for what is left.
    /// </summary>
    private static readonly TimeSpan BlockedSendAllowance = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Runs an operation of your own with the contract of every <see cref="RedisDb"/> call: bounded by
    /// <see cref="RedisDbOptions.OperationTimeout"/>, retried on a transient failure when <paramref name="idempotent"/>,
    /// and answered with <paramref name="fallback"/>, as for an outage, when it cannot succeed (Redis down, a timeout,
    /// an error reply): after a warning naming <paramref name="operationName"/> and <paramref name="key"/>, counted by
    /// the <c>redisflow.redis.operation.failures</c> metric. Cancellation throws.
    /// </summary>
    /// <param name="operationName">Names the call in the warning and in the failure and retry metrics (tag <c>method</c>).</param>
    /// <param name="key">The key the warning names (null when the call has none); routing comes from the commands themselves.</param>
    /// <param name="state">What the operation needs, so it can be a static lambda (no closure allocated per call).</param>
    /// <param name="operation">
    /// Sends the commands on the given database and returns their result; it may send several without awaiting in
    /// between (pipelined), for example a command and a <see cref="Scripts.RedisLuaScript"/> behind it. It runs again on
    /// each retry, so it must not have effects of its own beyond the commands it sends.
    /// </param>
    /// <param name="fallback">The answer when the operation cannot succeed.</param>
    /// <param name="idempotent">
    /// Whether running the commands twice is harmless; only then is a transient failure retried (a lost reply may
    /// hide a write that happened).
    /// </param>
    /// <param name="ct">Cancels the call (it then throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="RedisFlowConfigurationException">A setting makes the call impossible; never answered with the fallback.</exception>
    public Task<T> ExecuteAsync<TState, T>(
        string operationName,
        string? key,
        TState state,
        Func<IDatabase, TState, Task<T>> operation,
        T fallback,
        bool idempotent,
        CancellationToken ct = default) =>
        ExecuteAsync(operationName, key, state, operation, Unchanged<T>.Reply, fallback, idempotent, ct);

    /// <summary>
    /// Same as the other overload, with the reply turned into the result by <paramref name="convert"/>, so callers
    /// need no async lambda (one state machine fewer per call) to change a reply's type.
    /// </summary>
    /// <remarks>
    /// Fast path, taken while the multiplexer is connected: the command is sent at once and its task awaited without
    /// a timer of ours, because StackExchange.Redis already bounds it (its AsyncTimeout, see
    /// <see cref="RedisConnectionFactory"/>, fires within the operation timeout). Only a failure, a disconnected
    /// multiplexer or a send that blocked (a connection being replaced) goes to the slow path, which bounds each
    /// attempt by what is left of the budget.
    /// </remarks>
    internal Task<T> ExecuteAsync<TState, TReply, T>(
        string method,
        string? key,
        TState state,
        Func<IDatabase, TState, Task<TReply>> operation,
        Func<TReply, T> convert,
        T fallback,
        bool idempotent,
        CancellationToken ct) =>
        ExecuteFromAsync(method, key, state, operation, convert, fallback, idempotent, Stopwatch.GetTimestamp(), ct);

    /// <summary>The multiplexer path with the budget counted from <paramref name="started"/> (a lean attempt may have spent some).</summary>
    private Task<T> ExecuteFromAsync<TState, TReply, T>(
        string method,
        string? key,
        TState state,
        Func<IDatabase, TState, Task<TReply>> operation,
        Func<TReply, T> convert,
        T fallback,
        bool idempotent,
        long started,
        CancellationToken ct)
    {
        var database = _database;
        if (database is null || _disposed != 0 || ct.IsCancellationRequested || _connection?.IsConnected != true || IdentityBlocksCalls)
        {
            return RunAsync(method, key, state, operation, convert, fallback, idempotent, started, null, ct);
        }

        Task<TReply> task;
        try
        {
            task = operation(database, state);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return RunAsync(method, key, state, operation, convert, fallback, idempotent, started, Task.FromException<TReply>(ex), ct);
        }

        if (task.IsCompletedSuccessfully)
        {
            return ReferenceEquals(convert, Unchanged<T>.Reply) && task is Task<T> same ? same : Task.FromResult(convert(task.Result));
        }

        return RunAsync(method, key, state, operation, convert, fallback, idempotent, started, task, ct);
    }

    /// <summary>Same as the other overload, for operations without state.</summary>
    internal Task<T> ExecuteAsync<T>(string method, string? key, Func<IDatabase, Task<T>> operation, T fallback, bool idempotent, CancellationToken ct) =>
        ExecuteAsync(method, key, operation, static (db, op) => op(db), fallback, idempotent, ct);

    internal static bool IsTransient(Exception ex) => ex is
        RedisConnectionException or
        RedisTimeoutException or
        TimeoutException or
        SocketException or
        IOException or
        ObjectDisposedException;

    /// <summary>
    /// The retry loop. <paramref name="sent"/> is the first attempt's task when the fast path already sent it: it is
    /// awaited without a timer when the send returned promptly (StackExchange.Redis bounds it), and with the
    /// remaining budget otherwise.
    /// </summary>
    private async Task<T> RunAsync<TState, TReply, T>(
        string method,
        string? key,
        TState state,
        Func<IDatabase, TState, Task<TReply>> operation,
        Func<TReply, T> convert,
        T fallback,
        bool idempotent,
        long started,
        Task<TReply>? sent,
        CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ct.ThrowIfCancellationRequested();
        var attempts = idempotent ? _options.RetryAttempts : 1;
        var backoff = _options.RetryBackoff;
        Exception? failure = null;

        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (IdentityBlocksCalls && _connection is not null)
            {
                // Never run a call as another user than the configured one (a stock server lets a failed AUTH go on
                // as its password-less default user): answer as for an outage, and check again now and then.
                RecheckIdentitySoon();
                failure = IdentityRefusal();
                break;
            }

            var remaining = _options.OperationTimeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                failure ??= new TimeoutException($"{method} did not complete within {_options.OperationTimeout}.");
                break;
            }

            try
            {
                Task<TReply> task;
                var boundedByClient = false;
                if (sent is not null)
                {
                    task = sent;
                    sent = null;
                    boundedByClient = _clientBoundsCommands && Stopwatch.GetElapsedTime(started) < BlockedSendAllowance;
                }
                else
                {
                    var database = _database ?? await GetDatabaseAsync(ct).AsTask().WaitAsync(remaining, ct).ConfigureAwait(false);
                    task = operation(database, state);
                }

                // A command sent promptly on a connected multiplexer is awaited as is: StackExchange.Redis ends it
                // within the budget, and no timer or registration on the caller's token is spent on it (a
                // cancellation seen after a failure still throws below).
                if (!task.IsCompleted && !boundedByClient)
                {
                    // StackExchange.Redis may block the caller while a connection is being replaced (failover):
                    // what is left of the budget is measured after that, so the whole call stays within the timeout.
                    var left = _options.OperationTimeout - Stopwatch.GetElapsedTime(started);
                    if (left <= TimeSpan.Zero)
                    {
                        throw new TimeoutException($"{method} did not complete within {_options.OperationTimeout}.");
                    }

                    task = task.WaitAsync(left, ct);
                }

                return convert(await task.ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (RedisFlowConfigurationException)
            {
                throw;
            }
            // The caller's own cancellation was rethrown above: a cancelled task here is StackExchange.Redis ending a
            // command when its connection dropped (seen in the chaos run), an outage like the others.
            catch (Exception ex) when (IsTransient(ex) || ex is OperationCanceledException)
            {
                ct.ThrowIfCancellationRequested();
                failure = ex;
                if (attempt < attempts)
                {
                    RedisFlowMetrics.RecordRetry(method);
                    var pause = backoff * (1 << (attempt - 1));
                    var left = _options.OperationTimeout - Stopwatch.GetElapsedTime(started);
                    if (pause >= left)
                    {
                        break;
                    }

                    await Task.Delay(pause, ct).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is RedisServerException or RedisCommandException or InvalidOperationException)
            {
                // A reply such as WRONGTYPE: retrying cannot help. The seed answers these with False/None too.
                failure = ex;
                break;
            }
        }

        RedisFlowMetrics.RecordFailure(method);
        ReportFailure(null, failure);
        Log.OperationFailed(_logger, method, key ?? string.Empty, failure?.GetType().Name ?? "?", SafeMessage(failure));
        Log.OperationFailureDetail(_logger, method, failure);
        return fallback;
    }

    /// <summary>
    /// Reports a call that failed outside <see cref="RunAsync"/> (a blocking read on a connection of its own) as
    /// that loop reports one: the problem for <see cref="LastProblem"/>, the failure metric, the warning.
    /// </summary>
    internal void ReportFailedCall(string method, string key, Exception ex)
    {
        ReportFailure(null, ex); // NOPERM names the ACL rule to add
        RedisFlowMetrics.RecordFailure(method);
        Log.OperationFailed(_logger, method, key, ex.GetType().Name, SafeMessage(ex));
    }

    private static string SafeMessage(Exception? ex) => ex switch
    {
        null => "no detail",
        // StackExchange.Redis connection messages list endpoints and state, never the password.
        _ => ex.Message.Length > 400 ? ex.Message[..400] : ex.Message,
    };

    /// <summary>The identity conversion, one cached delegate per type (so the fast path can recognise it).</summary>
    private static class Unchanged<T>
    {
        public static readonly Func<T, T> Reply = static reply => reply;
    }
}
