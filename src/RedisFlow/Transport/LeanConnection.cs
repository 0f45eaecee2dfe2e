using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace RedisFlow.Transport;

/// <summary>
/// One plain socket (wrapped in TLS when configured) speaking RESP2 to one server, for callers that send one
/// command and wait for its reply. A round trip is a blocking send and a blocking receive on the caller's thread:
/// no thread hop, which is what one-at-a-time callers pay for on the multiplexer. The blocking is bounded by
/// <see cref="LeanSettings.IoTimeout"/>, and only one caller at a time uses a connection (see <see cref="LeanTransport"/>).
/// </summary>
/// <remarks>
/// Not thread-safe: the owner guarantees exclusive use. Any failure leaves the connection unusable (dispose it).
/// The socket never sees an asynchronous operation, not even its connect, and never leaves blocking mode: on Linux
/// either one registers it with the runtime's epoll thread for good, which then wakes on every reply that arrives. Measured one GET at a time,
/// pinned: 100 µs of CPU and 12-19 context switches per call with an asynchronously connected socket, 64 µs and 1.1
/// with one that stayed synchronous.
/// </remarks>
internal sealed class LeanConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly RespReader _reader;

    private LeanConnection(EndPoint endpoint, Socket socket, Stream stream)
    {
        EndPoint = endpoint;
        _socket = socket;
        _stream = stream;
        _reader = new RespReader(stream);
    }

    public EndPoint EndPoint { get; }

    /// <summary>The command buffer; write a command, then call <see cref="Execute"/>.</summary>
    public RespWriter Writer { get; } = new();

    /// <summary>
    /// Connects, upgrades to TLS when configured, authenticates (AUTH with the configured user; a refusal ends it),
    /// selects the database and names the client.
    /// </summary>
    /// <exception cref="LeanAuthenticationException">The server refused the credentials.</exception>
    public static Task<LeanConnection> OpenAsync(EndPoint endpoint, LeanSettings settings, CancellationToken ct) =>
        OpenAsync(endpoint, settings, static connection => connection, ct);

    /// <summary>
    /// Opens a connection as the other overload does, then runs <paramref name="then"/> on the same thread (a first
    /// blocking command, for example) and completes with its result; the connection is disposed if it throws.
    /// </summary>
    /// <exception cref="LeanAuthenticationException">The server refused the credentials.</exception>
    public static async Task<T> OpenAsync<T>(EndPoint endpoint, LeanSettings settings, Func<LeanConnection, T> then, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.ConnectTimeout);
        var address = await ResolveAsync(endpoint, timeout.Token).ConfigureAwait(false);
        // The blocking part runs on a thread of its own, not a pool thread: against a stalled server (paused, stopped,
        // a full accept queue) it blocks for up to the connect timeout, and a few of those at once starved the pool
        // that every other call's continuation and timer needs (seen in the suite). Connections open rarely, so a
        // thread's start-up cost is not paid on the hot path.
        var opened = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var token = timeout.Token;
        var thread = new Thread(() =>
        {
            try
            {
                var connection = Open(endpoint, address, settings, token);
                try
                {
                    opened.SetResult(then(connection));
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            }
#pragma warning disable CA1031 // Every failure goes to the awaiting caller, as an async open would hand it over.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                opened.SetException(ex);
            }
        })
        { IsBackground = true, Name = ConnectThreadName };
        // As for the blocking connection's thread: the caller's async-local state (its trace span) stays with the caller.
        using (ExecutionContext.SuppressFlow())
        {
            thread.Start();
        }

        return await opened.Task.ConfigureAwait(false);
    }

    /// <summary>The name of the threads that open lean connections (the OS shows its first 15 characters).</summary>
    internal const string ConnectThreadName = "RedisFlow connect";

    private static LeanConnection Open(EndPoint endpoint, IPEndPoint address, LeanSettings settings, CancellationToken ct)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            ConnectBlocking(socket, address, settings.ConnectTimeout, ct);
            var timeoutMs = (int)Math.Clamp(settings.IoTimeout.TotalMilliseconds, 1, int.MaxValue);
            socket.ReceiveTimeout = timeoutMs;
            socket.SendTimeout = timeoutMs;
            stream = new NetworkStream(socket, ownsSocket: true);
            if (settings.Tls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = settings.TlsHost ?? HostOf(endpoint),
                    RemoteCertificateValidationCallback = settings.CertificateValidation,
                };
                if (settings.ClientCertificate?.Invoke() is { } certificate)
                {
                    options.ClientCertificates = new X509CertificateCollection { certificate };
                }

                // Synchronous too (see remarks); bounded by the socket's send and receive timeouts.
                tls.AuthenticateAsClient(options);
            }

            var connection = new LeanConnection(endpoint, socket, stream);
            try
            {
                connection.Handshake(settings);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
        catch
        {
            stream?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends the command in <see cref="Writer"/> and reads its reply, blocking this thread for one round trip (handshake only).</summary>
    public RespReply Execute()
    {
        _stream.Write(Writer.Written);
        return _reader.Read();
    }

    /// <summary>
    /// Sends the command in <see cref="Writer"/> and waits at most <paramref name="pollMicroseconds"/> for the first
    /// bytes of its reply. True: the reply is arriving, read it with <see cref="ReadReply"/> (a blocking read that
    /// will not wait long). False: it is late, read it with <see cref="ReadLateReplyAsync"/> instead.
    /// </summary>
    public bool Send(int pollMicroseconds)
    {
        _stream.Write(Writer.Written);
        return _socket.Poll(pollMicroseconds, SelectMode.SelectRead);
    }

    /// <summary>Sets how long a blocking read waits for bytes before it fails with a timeout (the connection is then unusable).</summary>
    public void SetReceiveTimeout(TimeSpan timeout) => _socket.ReceiveTimeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);

    /// <summary>Reads one reply (blocking, bounded by the socket's receive timeout).</summary>
    public RespReply ReadReply() => _reader.Read();

    /// <summary>
    /// Reads a late reply on a thread of its own, blocking it (bounded by the receive timeout) rather than awaiting
    /// the socket, which would register it with the epoll thread (see remarks). At most one per connection.
    /// </summary>
    /// <remarks>
    /// Not a pool thread: a stalled server keeps the read blocked for up to the receive timeout, and on a small
    /// machine that pool thread was missed by the timers that end other calls (a paused-server test saw a call
    /// answered 1.2 s past its budget while such a read held one of 2 pool threads). A late reply is rare, so a
    /// thread's start-up cost is not paid on the hot path.
    /// </remarks>
    public Task<RespReply> ReadLateReplyAsync() =>
        Task.Factory.StartNew(_reader.Read, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Writes bytes as they are (a streamed value's next piece); used by bulk connections only, which may go async.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct) => _stream.WriteAsync(bytes, ct);

    /// <summary>Waits for a reply without blocking a thread (a zero-byte read), then reads it. Bulk connections only.</summary>
    public async Task<RespReply> ReadReplyAsync(CancellationToken ct)
    {
        if (!_reader.HasBuffered)
        {
            await _stream.ReadAsync(Memory<byte>.Empty, ct).ConfigureAwait(false);
        }

        return _reader.Read();
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    private static async Task<IPEndPoint> ResolveAsync(EndPoint endpoint, CancellationToken ct)
    {
        switch (endpoint)
        {
            case IPEndPoint ip:
                return ip;
            case DnsEndPoint dns:
                var addresses = await Dns.GetHostAddressesAsync(dns.Host, ct).ConfigureAwait(false);
                var address = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                              ?? throw new IOException($"{dns.Host} resolves to no address.");
                return new IPEndPoint(address, dns.Port);
            default:
                throw new IOException($"The lean connection cannot reach a {endpoint.GetType().Name}.");
        }
    }

    /// <summary>
    /// A blocking connect bounded by <paramref name="timeout"/>. Neither an asynchronous connect nor a non-blocking one
    /// (setting <see cref="Socket.Blocking"/> to false moves the socket to the runtime's emulated mode for good): Linux
    /// bounds a blocking connect by the send timeout, so that is set for the connect and restored by the caller.
    /// </summary>
    private static void ConnectBlocking(Socket socket, IPEndPoint address, TimeSpan timeout, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        socket.SendTimeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        try
        {
            socket.Connect(address);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.InProgress or SocketError.WouldBlock or SocketError.TimedOut)
        {
            throw new IOException($"Connecting to {address} timed out after {timeout.TotalMilliseconds:0} ms.", ex);
        }
    }

    private static string HostOf(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => dns.Host,
        IPEndPoint ip => ip.Address.ToString(),
        _ => endpoint.ToString() ?? string.Empty,
    };

    private void Handshake(LeanSettings settings)
    {
        // A named user always authenticates (even without a password), so the connection never stays "default".
        if (!string.IsNullOrEmpty(settings.Password) || !string.IsNullOrEmpty(settings.User))
        {
            if (string.IsNullOrEmpty(settings.User))
            {
                Writer.Begin(2).Arg("AUTH").Arg(settings.Password!);
            }
            else
            {
                Writer.Begin(3).Arg("AUTH").Arg(settings.User).Arg(settings.Password ?? string.Empty);
            }

            var reply = Execute();
            if (reply.IsError)
            {
                // No retry as another user and no fallback to "default": the lean path is simply not used. An
                // accepted AUTH is the proof of identity: this connection never sends a command after a refused one,
                // so it is the configured user by construction (no ACL WHOAMI, which least-privilege rules deny).
                throw new LeanAuthenticationException("The server refused the lean connection's credentials.");
            }
        }

        if (settings.Database != 0)
        {
            Writer.Begin(2).Arg("SELECT").Arg(settings.Database);
            var selected = Execute();
            if (selected.IsError)
            {
                throw new IOException($"SELECT {settings.Database} failed on the lean connection: {selected.Text}");
            }
        }

        if (!string.IsNullOrEmpty(settings.ClientName))
        {
            Writer.Begin(3).Arg("CLIENT").Arg("SETNAME").Arg(settings.ClientName);
            _ = Execute(); // a name is a courtesy; a denied CLIENT SETNAME does not matter
        }
    }
}
