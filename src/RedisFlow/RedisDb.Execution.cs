using System.Diagnostics;
using System.Net.Sockets;
using RedisFlow.Diagnostics;
using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    /// <summary>
    /// Runs one Redis operation with the seed's contract: bounded by <see cref="RedisDbOptions.OperationTimeout"/>,
    /// retried on a transient failure when <paramref name="idempotent"/>, and answered with <paramref name="fallback"/>
    /// (after a warning naming the method and key) when it cannot succeed. Cancellation throws.
    /// </summary>
    /// <remarks>The state parameter lets callers pass static lambdas, so the hot path allocates no closure.</remarks>
    internal async Task<T> ExecuteAsync<TState, T>(
        string method,
        string? key,
        TState state,
        Func<IDatabase, TState, Task<T>> operation,
        T fallback,
        bool idempotent,
        CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var started = Stopwatch.GetTimestamp();
        var attempts = idempotent ? _options.RetryAttempts : 1;
        var backoff = _options.RetryBackoff;
        Exception? failure = null;

        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var remaining = _options.OperationTimeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                failure ??= new TimeoutException($"{method} did not complete within {_options.OperationTimeout}.");
                break;
            }

            try
            {
                var database = _database ?? await GetDatabaseAsync(ct).AsTask().WaitAsync(remaining, ct).ConfigureAwait(false);
                var task = operation(database, state);
                if (task.IsCompleted)
                {
                    return await task.ConfigureAwait(false);
                }

                // StackExchange.Redis may block the caller while a connection is being replaced (failover):
                // what is left of the budget is measured after that, so the whole call stays within the timeout.
                var left = _options.OperationTimeout - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"{method} did not complete within {_options.OperationTimeout}.");
                }

                return await task.WaitAsync(left, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (RedisFlowConfigurationException)
            {
                throw;
            }
            catch (Exception ex) when (IsTransient(ex))
            {
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

    private static string SafeMessage(Exception? ex) => ex switch
    {
        null => "no detail",
        // StackExchange.Redis connection messages list endpoints and state, never the password.
        _ => ex.Message.Length > 400 ? ex.Message[..400] : ex.Message,
    };
}
