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
/// <remarks>Not thread-safe: the owner guarantees exclusive use. Any failure leaves the connection unusable (dispose it).</remarks>
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
    /// <exception cref="LeanAuthenticationException">The server refused the credentials, </exception>
    public static async Task<LeanConnection> OpenAsync(EndPoint endpoint, LeanSettings settings, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
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

                await tls.AuthenticateAsClientAsync(options, timeout.Token).ConfigureAwait(false);
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
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

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
    /// will not wait long). False: it is late, wait with <see cref="WaitForReplyAsync"/> instead of blocking.
    /// </summary>
    public bool Send(int pollMicroseconds)
    {
        _stream.Write(Writer.Written);
        return _socket.Poll(pollMicroseconds, SelectMode.SelectRead);
    }

    /// <summary>Reads one reply (blocking, bounded by the socket's receive timeout).</summary>
    public RespReply ReadReply() => _reader.Read();

    /// <summary>Waits without blocking a thread until reply bytes arrive (a zero-byte receive).</summary>
    public async Task WaitForReplyAsync(CancellationToken ct) =>
        await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct).ConfigureAwait(false);

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
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
