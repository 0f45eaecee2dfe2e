using System.Diagnostics;
using RedisFlow.Transport;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>The latency path: seed calls made one at a time go over a lean connection when it is free (see <see cref="LeanTransport"/>).</summary>
public sealed partial class RedisDb
{
    private LeanTransport? _lean;

    /// <summary>The lean transport once created (for tests and diagnostics); null while off or not yet used.</summary>
    internal LeanTransport? Lean => _lean;

    /// <summary>
    /// <see cref="ExecuteAsync{TState, TReply, T}(string, string?, TState, Func{IDatabase, TState, Task{TReply}}, Func{TReply, T}, T, bool, CancellationToken)"/>
    /// tried first on the key's lean connection: answered there when it is free and the reply is not an error;
    /// otherwise (busy, not connected, an error reply, a failure) the call goes through the multiplexer with the
    /// rest of the same budget, so the contract (timeout, retries, fallback answer, warning) is the multiplexer
    /// path's. Only idempotent calls use the lean path, because a call that failed there may have run.
    /// </summary>
    internal Task<T> ExecuteAsync<TState, TReply, T>(
        string method,
        string key,
        TState state,
        LeanCall<TState, T> lean,
        Func<IDatabase, TState, Task<TReply>> operation,
        Func<TReply, T> convert,
        T fallback,
        bool idempotent,
        CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        // Never around the identity check: while the connection's user is refused or unverified, the multiplexer path answers.
        if (idempotent && !ct.IsCancellationRequested && !IdentityBlocksCalls && LeanTransportOrNull() is { } transport)
        {
            if (transport.TryExecute(key, state, lean, out var result, out var error, out var pending))
            {
                return Task.FromResult(result);
            }

            if (error is not null)
            {
                return RunAsync(method, key, state, operation, convert, fallback, idempotent, started, Task.FromException<TReply>(new RedisServerException(error)), ct);
            }

            if (pending is not null)
            {
                return FinishLeanAsync(pending, method, key, state, operation, convert, fallback, idempotent, started, ct);
            }
        }

        return ExecuteFromAsync(method, key, state, operation, convert, fallback, idempotent, started, ct);
    }

    /// <summary>A lean call whose reply was late: awaited (bounded by half the budget), else handed to the multiplexer.</summary>
    private async Task<T> FinishLeanAsync<TState, TReply, T>(
        Task<(bool Ok, T Result, string? Error)> pending,
        string method,
        string key,
        TState state,
        Func<IDatabase, TState, Task<TReply>> operation,
        Func<TReply, T> convert,
        T fallback,
        bool idempotent,
        long started,
        CancellationToken ct)
    {
        var (ok, result, error) = await pending.ConfigureAwait(false);
        if (ok)
        {
            return result;
        }

        return error is not null
            ? await RunAsync(method, key, state, operation, convert, fallback, idempotent, started, Task.FromException<TReply>(new RedisServerException(error)), ct).ConfigureAwait(false)
            : await ExecuteFromAsync(method, key, state, operation, convert, fallback, idempotent, started, ct).ConfigureAwait(false);
    }

    private LeanTransport? LeanTransportOrNull()
    {
        var lean = _lean;
        if (lean is not null)
        {
            return lean;
        }

        // The lean path opens sockets of its own with the credentials: not on a caller's multiplexer (RedisDb.External.cs).
        if (!_options.LeanConnection || _connection is not ConnectionMultiplexer connection || _callerConnection is not null || _disposed != 0)
        {
            return null;
        }

        var created = new LeanTransport(connection, LeanSettingsFor(), _isCluster);
        var existing = Interlocked.CompareExchange(ref _lean, created, null);
        if (existing is not null)
        {
            created.Dispose();
            return existing;
        }

        if (_disposed != 0)
        {
            created.Dispose();
            return null;
        }

        return created;
    }

    private LeanSettings LeanSettingsFor() => new(
        _config.User,
        _config.Password,
        _isCluster ? 0 : _config.DefaultDatabase ?? 0,
        _config.ClientName,
        _config.Ssl,
        _config.SslHost,
        LeanTls.Validation(_options.Ssl),
        LeanTls.ClientCertificate(_options.Ssl),
        _options.ConnectTimeout,
        // Half the budget: a lean round trip that stalls leaves the other half to the multiplexer.
        _options.OperationTimeout / 2);

    private void DisposeLean() => Interlocked.Exchange(ref _lean, null)?.Dispose();

    /// <summary>The lean commands of the seed's hot calls (the queue's are in <see cref="Queues.StreamLeanCommands"/>).</summary>
    internal static class LeanCommands
    {
        public static LeanCall<string, string?> Get { get; } = new(static (w, key) => w.Begin(2).Arg("GET").Arg(key), static (RespReply r, out string? value) =>
        {
            value = r.AsString();
            return r.Kind is RespKind.BulkString or RespKind.Null;
        });

        public static LeanCall<string, byte[]?> GetBytes { get; } = new(static (w, key) => w.Begin(2).Arg("GET").Arg(key), static (RespReply r, out byte[]? value) =>
        {
            value = r.Bulk;
            return r.Kind is RespKind.BulkString or RespKind.Null;
        });

        public static LeanCall<string, bool?> Exists { get; } = new(static (w, key) => w.Begin(2).Arg("EXISTS").Arg(key), static (RespReply r, out bool? exists) =>
        {
            exists = r.Integer > 0;
            return r.Kind == RespKind.Integer;
        });

        public static LeanCall<(string Key, RedisValue Value, TimeSpan? Ttl), bool> Set { get; } = new(static (w, s) =>
        {
            if (s.Ttl is { } ttl)
            {
                w.Begin(5).Arg("SET").Arg(s.Key).Arg(s.Value).Arg("PX").Arg((long)ttl.TotalMilliseconds);
            }
            else
            {
                w.Begin(3).Arg("SET").Arg(s.Key).Arg(s.Value);
            }
        }, static (RespReply r, out bool ok) =>
        {
            ok = r.Kind == RespKind.SimpleString;
            return true;
        });

        /// <summary>EVALSHA of <paramref name="sha1Hex"/> with its keys and arguments.</summary>
        public static void WriteEvalSha(RespWriter w, string sha1Hex, RedisKey[] keys, RedisValue[] args)
        {
            w.Begin(3 + keys.Length + args.Length).Arg("EVALSHA").Arg(sha1Hex).Arg(keys.Length);
            foreach (var key in keys)
            {
                // A key made from a string gives that string back without a copy; it is encoded into the buffer.
                w.Arg((string?)key ?? string.Empty);
            }

            foreach (var arg in args)
            {
                w.Arg(arg);
            }
        }
    }
}
