using System.Net;

namespace RedisFlow.Transport;

/// <summary>
/// A <see cref="LeanConnection"/> for blocking commands (<c>XREADGROUP ... BLOCK</c>), with a thread of its own that
/// sends each command and blocks in its reply. The reply is in the caller's hands as soon as the socket has it: no
/// event loop or pool thread between them, which is what a multiplexer's blocking read pays for in delivery latency.
/// </summary>
/// <remarks>
/// One command at a time (the owner guarantees it). The thread sleeps between commands; a failed connection ends it
/// and every later <see cref="SendAsync"/> fails at once (open a new one). Its client id (<c>CLIENT ID</c>, learned when
/// it opens) lets another connection end a read early with <c>CLIENT UNBLOCK</c>.
/// </remarks>
internal sealed class LeanBlockingConnection : IDisposable
{
    private readonly LeanConnection _connection;
    private readonly TimeSpan _ioTimeout;
    private readonly SemaphoreSlim _requests = new(0);
    private readonly Thread _thread;
    private TaskCompletionSource<RespReply>? _pending;
    private volatile bool _closed;

    private LeanBlockingConnection(LeanConnection connection, long clientId, TimeSpan ioTimeout)
    {
        _connection = connection;
        _ioTimeout = ioTimeout;
        ClientId = clientId;
        _thread = new Thread(Loop) { IsBackground = true, Name = "redisflow-blocking-read" };
        // The thread outlives the call that opened it: it must not carry that call's async-local state (its trace span).
        using (ExecutionContext.SuppressFlow())
        {
            _thread.Start();
        }
    }

    public EndPoint EndPoint => _connection.EndPoint;

    /// <summary>This connection's client id on its server (-1 when the server would not tell).</summary>
    public long ClientId { get; }

    /// <summary>Whether the connection failed or was closed (it cannot be used again).</summary>
    public bool IsClosed => _closed;

    /// <summary>The command buffer: write the command, then call <see cref="SendAsync"/>.</summary>
    public RespWriter Writer => _connection.Writer;

    /// <summary>Opens the connection (see <see cref="LeanConnection.OpenAsync"/>) and learns its client id, on the opening thread.</summary>
    /// <exception cref="LeanAuthenticationException">The server refused the credentials.</exception>
    public static Task<LeanBlockingConnection> OpenAsync(EndPoint endpoint, LeanSettings settings, CancellationToken ct) =>
        LeanConnection.OpenAsync(endpoint, settings, connection =>
        {
            connection.Writer.Begin(2).Arg("CLIENT").Arg("ID");
            var id = connection.Execute();
            return new LeanBlockingConnection(connection, id.Kind == RespKind.Integer ? id.Integer : -1, settings.IoTimeout);
        }, ct);

    /// <summary>
    /// Sends the command in <see cref="Writer"/> and completes with its reply, waiting at most
    /// <paramref name="replyWithin"/> for it (then the connection fails with a timeout). With
    /// <paramref name="inline"/>, the code awaiting the reply runs on this connection's thread until its next await:
    /// only for callers whose continuation is short and never blocks (the next command waits for that thread).
    /// </summary>
    /// <exception cref="IOException">The connection failed (now or before); the command may have run.</exception>
    public Task<RespReply> SendAsync(TimeSpan replyWithin, bool inline)
    {
        var pending = new TaskCompletionSource<RespReply>(inline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _connection.SetReceiveTimeout(replyWithin > TimeSpan.Zero ? replyWithin : _ioTimeout);
        }
        catch (ObjectDisposedException)
        {
            return Task.FromException<RespReply>(Closed(null));
        }

        Volatile.Write(ref _pending, pending);
        _requests.Release();
        if (_closed)
        {
            // Closed meanwhile: the thread may have ended without seeing this command. Whoever takes it first fails it.
            Interlocked.Exchange(ref _pending, null)?.TrySetException(Closed(null));
        }

        return pending.Task;
    }

    public void Dispose()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        // A read blocked in the socket ends with an error once it is closed; an idle thread wakes to see it closed.
        _connection.Dispose();
        _requests.Release();
    }

    private IOException Closed(Exception? cause) =>
        cause is null
            ? new IOException($"The blocking connection to {EndPoint} is closed.")
            : new IOException($"The blocking connection to {EndPoint} failed: {cause.Message}", cause);

    private void Loop()
    {
        while (true)
        {
            _requests.Wait();
            var pending = Interlocked.Exchange(ref _pending, null);
            if (pending is null)
            {
                if (_closed)
                {
                    return;
                }

                continue;
            }

            RespReply reply;
            try
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                reply = _connection.Execute();
            }
#pragma warning disable CA1031 // Anything (a failed socket, a reply too large or malformed) ends this connection; an exception left on this thread would end the process.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _closed = true;
                _connection.Dispose();
                pending.TrySetException(Closed(ex));
                return;
            }

            pending.TrySetResult(reply);
        }
    }
}
