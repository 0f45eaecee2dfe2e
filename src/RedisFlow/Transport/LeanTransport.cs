using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using StackExchange.Redis;

namespace RedisFlow.Transport;

/// <summary>
/// The latency path: one <see cref="LeanConnection"/> per server endpoint, used by a call only when it is free.
/// A call that finds it busy, not connected yet, or failing goes through the multiplexer instead, so concurrent
/// callers keep the multiplexer's pipelining and one-at-a-time callers skip its thread hops.
/// </summary>
/// <remarks>
/// Routing is the multiplexer's: on a cluster the key's slot owner from its slot map, otherwise its connected
/// primary (which follows Sentinel). An error reply is never interpreted here: the call is handed to the
/// multiplexer, which gives it the library's usual handling (MOVED/ASK redirections, NOSCRIPT, NOGROUP...);
/// replies that mean the map is stale (MOVED, ASK, READONLY, LOADING...) also drop the lean connection and the
/// cached primary. When the credentials are refused, the lean path switches itself off for good.
/// </remarks>
internal sealed class LeanTransport : IDisposable
{
    /// <summary>How long an endpoint whose lean connection failed is left to the multiplexer before reconnecting.</summary>
    private static readonly TimeSpan ReconnectPause = TimeSpan.FromSeconds(1);

    private readonly ConnectionMultiplexer _multiplexer;
    private readonly LeanSettings _settings;
    private readonly bool _cluster;
    private readonly ConcurrentDictionary<EndPoint, Slot> _slots = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly BulkConnectionPool _bulk = new();
    private volatile EndPoint? _primary;
    private volatile Slot? _lastSlot;
    private volatile bool _refused;
    private long _leanCalls;
    private long _handedOver;

    public LeanTransport(ConnectionMultiplexer multiplexer, LeanSettings settings, bool cluster)
    {
        _multiplexer = multiplexer;
        _settings = settings;
        _cluster = cluster;
        multiplexer.ConfigurationChanged += OnTopologyChanged;
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionFailed;
    }

    /// <summary>Calls answered on a lean connection (for tests and diagnostics).</summary>
    public long LeanCalls => Interlocked.Read(ref _leanCalls);

    /// <summary>Calls that reached a lean connection but were handed to the multiplexer (error reply or failure).</summary>
    public long HandedOver => Interlocked.Read(ref _handedOver);

    /// <summary>Whether the server refused the lean connection's credentials (the lean path is off then).</summary>
    public bool Refused => _refused;

    /// <summary>Whether a lean connection to <paramref name="endpoint"/> is open now.</summary>
    public bool IsConnected(EndPoint endpoint) => _slots.TryGetValue(endpoint, out var slot) && slot.Connection is not null;

    /// <summary>
    /// Runs <paramref name="call"/> on the lean connection of the key's server if it is free and ready. True: answered
    /// in <paramref name="result"/>. False with <paramref name="pending"/>: the reply is late (more than
    /// <see cref="PollMicroseconds"/>), and is read on a thread of its own (see <see cref="LeanConnection.ReadLateReplyAsync"/>); its Ok is false when the call
    /// must go through the multiplexer. False with <paramref name="error"/>: Redis answered that error reply (the
    /// command is not to be sent again). False without either: go through the multiplexer now. A call handed over
    /// may or may not have run (lean calls are idempotent).
    /// </summary>
    public bool TryExecute<TState, T>(string key, TState state, LeanCall<TState, T> call, out T result, out string? error, out Task<(bool Ok, T Result, string? Error)>? pending)
    {
        result = default!;
        error = null;
        pending = null;
        if (_refused || _disposed.IsCancellationRequested)
        {
            return false;
        }

        var endpoint = Target(key);
        if (endpoint is null)
        {
            return false;
        }

        // The same endpoint object comes back call after call: skip the dictionary's hashing of it then.
        var slot = _lastSlot;
        if (slot is null || !ReferenceEquals(slot.EndPoint, endpoint))
        {
            slot = _slots.GetOrAdd(endpoint, static e => new Slot(e));
            _lastSlot = slot;
        }

        var connection = slot.TryTake();
        if (connection is null)
        {
            if (slot.ShouldConnect())
            {
                StartConnecting(slot);
            }

            return false;
        }

        RespReply reply;
        try
        {
            call.Write(connection.Writer, state);
            if (!connection.Send(PollMicroseconds))
            {
                pending = FinishAsync(slot, connection, call.Read);
                return false;
            }

            reply = connection.ReadReply();
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            slot.Break(connection);
            Interlocked.Increment(ref _handedOver);
            return false;
        }

        return Complete(slot, connection, reply, call.Read, out result, out error);
    }

    /// <summary>
    /// A connection of its own to the key's server (the same routing as the lean path) for one streamed command,
    /// from the bulk pool or newly opened; null when there is none to use (lean path refused or disposed, server not
    /// known). Give it back with <see cref="ReturnBulk"/>.
    /// </summary>
    /// <exception cref="IOException">The server could not be reached.</exception>
    public async Task<LeanConnection?> RentBulkAsync(string key, CancellationToken ct)
    {
        if (_refused || _disposed.IsCancellationRequested || Target(key) is not { } endpoint)
        {
            return null;
        }

        if (_bulk.TryTake(endpoint) is { } idle)
        {
            return idle;
        }

        try
        {
            // Its connect blocks on a thread of its own (see LeanConnection.OpenAsync).
            return await LeanConnection.OpenAsync(endpoint, _settings, ct).ConfigureAwait(false);
        }
        catch (LeanAuthenticationException)
        {
            _refused = true;
            return null;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or InvalidDataException)
        {
            throw new IOException($"No connection to {endpoint} for a streamed value: {ex.Message}", ex);
        }
    }

    /// <summary>Gives back a bulk connection: kept when its last command completed cleanly, closed otherwise.</summary>
    public void ReturnBulk(LeanConnection connection, bool clean)
    {
        if (clean && !_disposed.IsCancellationRequested)
        {
            _bulk.Return(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// How long a caller's thread waits for a reply before the wait moves to an async one: far above a healthy
    /// round trip (tens of microseconds on loopback), far below anything a caller would notice.
    /// </summary>
    internal const int PollMicroseconds = 2_000;

    /// <summary>What a failed send or read on a lean or bulk connection throws (the connection is then unusable).</summary>
    internal static bool IsConnectionFailure(Exception ex) =>
        ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidDataException or OperationCanceledException;

    private async Task<(bool Ok, T Result, string? Error)> FinishAsync<T>(Slot slot, LeanConnection connection, LeanRead<T> read)
    {
        RespReply reply;
        try
        {
            reply = await connection.ReadLateReplyAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            slot.Break(connection);
            Interlocked.Increment(ref _handedOver);
            return (false, default!, null);
        }

        return Complete(slot, connection, reply, read, out var result, out var error) ? (true, result, null) : (false, default!, error);
    }

    /// <summary>
    /// Turns a reply into the result. An error reply that proves the command did not run (a stale route, NOSCRIPT,
    /// NOGROUP) is handed to the multiplexer to run again; any other error reply (WRONGTYPE, a script that failed
    /// halfway after writing...) is returned in <paramref name="error"/>, never run twice, and answered as the
    /// multiplexer would answer that reply.
    /// </summary>
    private bool Complete<T>(Slot slot, LeanConnection connection, RespReply reply, LeanRead<T> read, out T result, out string? error)
    {
        result = default!;
        error = null;
        if (reply.IsError)
        {
            if (MeansStaleRoute(reply))
            {
                _primary = null;
                slot.Break(connection);
            }
            else
            {
                slot.Return(connection);
                if (!reply.IsErrorOf("NOSCRIPT") && !reply.IsErrorOf("NOGROUP"))
                {
                    error = reply.Text;
                }
            }

            Interlocked.Increment(ref _handedOver);
            return false;
        }

        slot.Return(connection);
        if (!read(reply, out result))
        {
            Interlocked.Increment(ref _handedOver);
            return false;
        }

        Interlocked.Increment(ref _leanCalls);
        return true;
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _multiplexer.ConfigurationChanged -= OnTopologyChanged;
        _multiplexer.ConnectionFailed -= OnConnectionFailed;
        _multiplexer.ConnectionRestored -= OnConnectionFailed;
        foreach (var slot in _slots.Values)
        {
            slot.Close();
        }

        _bulk.Dispose();
    }

    /// <summary>Whether an error reply means the route (slot map, primary, authentication) is stale: the connection is dropped then.</summary>
    internal static bool MeansStaleRoute(RespReply reply) =>
        reply.IsErrorOf("MOVED") || reply.IsErrorOf("ASK") || reply.IsErrorOf("READONLY") || reply.IsErrorOf("LOADING") ||
        reply.IsErrorOf("MASTERDOWN") || reply.IsErrorOf("CLUSTERDOWN") || reply.IsErrorOf("TRYAGAIN") || reply.IsErrorOf("NOAUTH");

    /// <summary>The endpoint the multiplexer would send this key to, or null when it has none connected.</summary>
    private EndPoint? Target(string key)
    {
        if (_cluster)
        {
            var server = _multiplexer.GetServer((RedisKey)key); // the slot owner (a string alone would be read as host:port)
            return server.IsConnected ? server.EndPoint : null;
        }

        var primary = _primary;
        if (primary is not null)
        {
            return primary;
        }

        foreach (var server in _multiplexer.GetServers())
        {
            if (server.IsConnected && !server.IsReplica)
            {
                _primary = server.EndPoint;
                return server.EndPoint;
            }
        }

        return null;
    }

    private void OnTopologyChanged(object? sender, EndPointEventArgs e)
    {
        _primary = null;
        if (!_cluster && _slots.TryGetValue(e.EndPoint, out var slot))
        {
            // A server whose role may have changed (Sentinel switch-over): reconnect before trusting it again.
            slot.Reset();
        }

        _bulk.Clear(e.EndPoint);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        _primary = null;
        if (e.EndPoint is not null && _slots.TryGetValue(e.EndPoint, out var slot))
        {
            slot.Reset();
        }

        if (e.EndPoint is not null)
        {
            _bulk.Clear(e.EndPoint);
        }
    }

    private void StartConnecting(Slot slot) =>
        _ = Task.Run(async () =>
        {
            try
            {
                var connection = await LeanConnection.OpenAsync(slot.EndPoint, _settings, _disposed.Token).ConfigureAwait(false);
                if (!slot.Offer(connection) || _disposed.IsCancellationRequested)
                {
                    slot.Discard(connection);
                }
            }
            catch (LeanAuthenticationException)
            {
                _refused = true;
                slot.Failed(ReconnectPause);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException
                                           or System.Security.Authentication.AuthenticationException or ObjectDisposedException or InvalidDataException)
            {
                slot.Failed(ReconnectPause);
            }
        });

    /// <summary>One endpoint's lean connection and who is using it.</summary>
    private sealed class Slot(EndPoint endpoint)
    {
        private readonly Lock _gate = new();
        private LeanConnection? _connection;
        /// <summary>
        /// After a caller found the connection busy, calls skip it for this long: under concurrency the multiplexer
        /// pipelines them, while a lean call would hold a pool thread for its round trip (measured: 32 calls in
        /// flight fell to 0.67-0.73x raw StackExchange.Redis when every free moment was taken by a lean call).
        /// </summary>
        private static readonly long ContentionBackoffTicks = Stopwatch.Frequency / 50;

        private bool _busy;
        private bool _connecting;
        private long _retryAt;
        private long _contendedUntil;

        public EndPoint EndPoint { get; } = endpoint;

        public LeanConnection? Connection => _connection;

        public LeanConnection? TryTake()
        {
            // Read without the lock first: under concurrency nearly every call lands here, and 32 loops taking
            // the lock only to be sent to the multiplexer cost measurable throughput.
            // The lock is taken only to claim the connection; the busy flag is checked again under it.
            var now = Stopwatch.GetTimestamp();
            if (Volatile.Read(ref _busy))
            {
                Volatile.Write(ref _contendedUntil, now + ContentionBackoffTicks);
                return null;
            }

            if (now < Volatile.Read(ref _contendedUntil))
            {
                return null;
            }

            lock (_gate)
            {
                if (_busy)
                {
                    _contendedUntil = now + ContentionBackoffTicks;
                    return null;
                }

                if (_connection is null)
                {
                    return null;
                }

                _busy = true;
                return _connection;
            }
        }

        public void Return(LeanConnection connection)
        {
            lock (_gate)
            {
                _busy = false;
                if (!ReferenceEquals(_connection, connection))
                {
                    // Reset while in use: close it now that nobody is.
                    connection.Dispose();
                }
            }
        }

        public void Break(LeanConnection connection)
        {
            lock (_gate)
            {
                _busy = false;
                if (ReferenceEquals(_connection, connection))
                {
                    _connection = null;
                    _retryAt = Stopwatch.GetTimestamp() + (long)(ReconnectPause.TotalSeconds * Stopwatch.Frequency);
                }
            }

            connection.Dispose();
        }

        public bool ShouldConnect()
        {
            lock (_gate)
            {
                if (_connecting || _connection is not null || Stopwatch.GetTimestamp() < _retryAt)
                {
                    return false;
                }

                _connecting = true;
                return true;
            }
        }

        public bool Offer(LeanConnection connection)
        {
            lock (_gate)
            {
                _connecting = false;
                if (_connection is not null)
                {
                    return false;
                }

                _connection = connection;
                return true;
            }
        }

        public void Discard(LeanConnection connection)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_connection, connection))
                {
                    _connection = null;
                }
            }

            connection.Dispose();
        }

        public void Failed(TimeSpan pause)
        {
            lock (_gate)
            {
                _connecting = false;
                _retryAt = Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency);
            }
        }

        /// <summary>Drops the connection (closed now if idle, or by its user on return) and reconnects on a later call.</summary>
        public void Reset()
        {
            LeanConnection? idle = null;
            lock (_gate)
            {
                if (_connection is not null && !_busy)
                {
                    idle = _connection;
                }

                _connection = null;
            }

            idle?.Dispose();
        }

        public void Close() => Reset();
    }
}
