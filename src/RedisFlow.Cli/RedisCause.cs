using System.Diagnostics;
using System.Net.Sockets;

namespace RedisFlow.Cli;

/// <summary>
/// Why Redis could not be used, in an operator's words: the credential or TLS problem the library names, a
/// WRONGTYPE reply, or, for a connection that is down, whether the name did not resolve, the port refused the
/// connection, or nothing answered.
/// </summary>
internal static class RedisCause
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static async Task<string> DescribeAsync(RedisDb db, RedisFailures.Failure? failure, CancellationToken ct)
    {
        if (failure is not null && failure.Detail.Contains("WRONGTYPE", StringComparison.Ordinal))
        {
            return $"WRONGTYPE: key '{failure.Key}' holds a value of another type than {failure.Method} needs";
        }

        if (!db.IsAlive && db.LastProblem is null)
        {
            // The multiplexer's next attempt often names a credential or TLS problem; wait at most a connect timeout.
            var waited = Stopwatch.StartNew();
            for (var i = 0; i < 100 && waited.Elapsed < db.Options.ConnectTimeout && db.LastProblem is null && !db.IsAlive; i++)
            {
                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }

        if (db.LastProblem is { } problem)
        {
            return problem.Message;
        }

        if (!db.IsAlive)
        {
            return await ProbeAsync(db.Options, ct).ConfigureAwait(false);
        }

        return failure is null
            ? $"Redis {db.Options} did not answer"
            : $"{failure.Method} failed for key '{failure.Key}': {failure.ExceptionType}: {failure.Detail}";
    }

    /// <summary>Connects to the first configured endpoint itself to name why the client could not.</summary>
    public static async Task<string> ProbeAsync(RedisDbOptions options, CancellationToken ct)
    {
        var (host, port) = RedisHostCheck.FirstEndpoint(options);
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain)
        {
            return $"cannot connect to Redis at {host}:{port}: the name '{host}' was not resolved (Redis:Host, --redis)";
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return $"cannot connect to Redis at {host}:{port}: connection refused (nothing listens there; Redis:Host, --redis)";
        }
        catch (SocketException ex)
        {
            return $"cannot connect to Redis at {host}:{port}: {ex.SocketErrorCode} ({ex.Message})";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"cannot connect to Redis at {host}:{port}: no answer within {ProbeTimeout.TotalSeconds:0} s (a firewall, or a host that is down)";
        }

        return $"Redis at {host}:{port} accepts connections but the client could not use it within Redis:ConnectTimeout ({options.ConnectTimeout.TotalSeconds:0.#} s): " +
            "check --tls, Redis:Ssl and that a Redis server (not another service) listens there";
    }
}
