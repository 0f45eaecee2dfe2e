using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RedisFlow.Testing.Servers;

/// <summary>What <see cref="FaultyTcpProxy"/> does to each server answer once <paramref name="AfterBytes"/> bytes have passed.</summary>
/// <param name="Kind">The fault.</param>
/// <param name="AfterBytes">Bytes of the answer (headers included) passed on before the fault.</param>
public sealed record ProxyFault(ProxyFaultKind Kind, long AfterBytes = 0)
{
    /// <summary>Everything passes.</summary>
    public static ProxyFault None { get; } = new(ProxyFaultKind.None);
}

/// <summary>The faults of <see cref="FaultyTcpProxy"/>.</summary>
public enum ProxyFaultKind
{
    /// <summary>Everything passes.</summary>
    None,

    /// <summary>The answer stops, the connection stays open: a server that hangs in the middle of a body.</summary>
    Stall,

    /// <summary>Both connections are closed: a body cut short.</summary>
    Cut,
}

/// <summary>
/// A TCP proxy on a loopback port in front of a real server (an S3 emulator), which can stall or cut the server's
/// answers after a number of bytes: truncated and slow storage answers reach the real SDK over a real socket.
/// </summary>
public sealed class FaultyTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _connections = new();
    private readonly Task _accepting;
    private ProxyFault _fault = ProxyFault.None;

    private FaultyTcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>Starts a proxy to 127.0.0.1:<paramref name="targetPort"/>, passing everything.</summary>
    public static FaultyTcpProxy Start(int targetPort) => new(targetPort);

    /// <summary>Applies <paramref name="fault"/> to connections opened from now on, and closes the open ones (clients pool them).</summary>
    public void Set(ProxyFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        Volatile.Write(ref _fault, fault);
        foreach (var connection in _connections.Values)
        {
            connection.Cancel();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            _ = RelayAsync(client, Volatile.Read(ref _fault));
        }
    }

    private async Task RelayAsync(TcpClient client, ProxyFault fault)
    {
        var id = Guid.NewGuid();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _connections[id] = connection;
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, connection.Token).ConfigureAwait(false);
            using var closing = connection.Token.Register(() =>
            {
                client.Close();
                server.Close();
            });
            var request = client.GetStream().CopyToAsync(server.GetStream(), connection.Token);
            var answer = PumpAnswerAsync(server.GetStream(), client.GetStream(), fault, connection.Token);
            // Either side ending ends the relay (a stalled answer ends when the client gives up and closes).
            await Task.WhenAny(request, answer).ConfigureAwait(false);
            await connection.CancelAsync().ConfigureAwait(false);

            await Task.WhenAll(request, answer).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A side closed, or the fault or Set closed it.
        }
        finally
        {
            _connections.TryRemove(id, out _);
            client.Dispose();
        }
    }

    private static async Task PumpAnswerAsync(Stream from, Stream to, ProxyFault fault, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        long passed = 0;
        while (true)
        {
            var room = fault.Kind == ProxyFaultKind.None ? buffer.Length : (int)Math.Min(buffer.Length, fault.AfterBytes - passed);
            if (room <= 0)
            {
                if (fault.Kind == ProxyFaultKind.Stall)
                {
                    // Hold the connection open, sending nothing, until the client gives up or the proxy stops.
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }

                return; // Cut: the caller closes both sides.
            }

            var read = await from.ReadAsync(buffer.AsMemory(0, room), ct).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            passed += read;
        }
    }
}
