using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// A plain TCP connection of the daemon's own to one Redis server, used to stream a file as the value of one
/// <c>SET</c>: the RESP header announces the length, then the file goes to the socket chunk by chunk as it is read
/// from storage. Redis reads a large argument straight into the value it stores, so the bytes are copied once on
/// each side and never held whole by the daemon. One file at a time; the reply parser knows only the replies the
/// daemon asks for (simple strings, errors, integers, a null bulk string).
/// </summary>
internal sealed class DirectConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _reply = new byte[512];
    private int _replyStart;
    private int _replyEnd;

    private DirectConnection(EndPoint endPoint, Socket socket)
    {
        EndPoint = endPoint;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public EndPoint EndPoint { get; }

    /// <summary>Connects, then AUTH (when a password is set) and SELECT (when <paramref name="database"/> is not 0).</summary>
    public static async Task<DirectConnection> OpenAsync(EndPoint endPoint, string? user, string? password, int database, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new DirectConnection(endPoint, socket);
        try
        {
            await socket.ConnectAsync(endPoint, ct).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(password))
            {
                await connection.CommandAsync(user is null ? ["AUTH", password] : ["AUTH", user, password], ct).ConfigureAwait(false);
            }

            if (database != 0)
            {
                await connection.CommandAsync(["SELECT", database.ToString(CultureInfo.InvariantCulture)], ct).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Writes raw bytes (a header, a chunk of the value, a trailer).</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct) => _stream.WriteAsync(bytes, ct);

    /// <summary>The header of <c>*argc</c> arguments whose first ones are <paramref name="leading"/>, then the length line of a bulk value.</summary>
    public static byte[] Header(int argc, IReadOnlyList<string> leading, long valueLength)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"*{argc}\r\n");
        foreach (var argument in leading)
        {
            text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"${valueLength}\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Bulk-string arguments, RESP-encoded, after <paramref name="prefix"/> (the rest of a command after its value).</summary>
    public static byte[] Arguments(string prefix, params string[] arguments)
    {
        var text = new StringBuilder(prefix);
        foreach (var argument in arguments)
        {
            text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Whole commands of string arguments, RESP-encoded (sent after the value ends).</summary>
    public static byte[] Commands(string prefix, params IReadOnlyList<string>[] commands)
    {
        var text = new StringBuilder(prefix);
        foreach (var command in commands)
        {
            text.Append(CultureInfo.InvariantCulture, $"*{command.Count}\r\n");
            foreach (var argument in command)
            {
                text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// Reads one reply: <c>+OK</c> → "OK", <c>:n</c> → "n", <c>$-1</c> → null; an error reply throws
    /// <see cref="RedisServerException"/>.
    /// </summary>
    public async Task<string?> ReadReplyAsync(CancellationToken ct)
    {
        var line = await ReadLineAsync(ct).ConfigureAwait(false);
        return line[0] switch
        {
            '+' or ':' => line[1..],
            '-' => throw new RedisServerException(line[1..]),
            '$' when line == "$-1" => null,
            _ => throw new IOException($"Unexpected reply type '{line[0]}' on the daemon's direct connection."),
        };
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync().ConfigureAwait(false);

    private async Task CommandAsync(IReadOnlyList<string> command, CancellationToken ct)
    {
        await _stream.WriteAsync(Commands(string.Empty, command), ct).ConfigureAwait(false);
        _ = await ReadReplyAsync(ct).ConfigureAwait(false);
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var end = _reply.AsSpan(_replyStart, _replyEnd - _replyStart).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = Encoding.UTF8.GetString(_reply, _replyStart, end);
                _replyStart += end + 2;
                return line.Length > 0 ? line : throw new IOException("Empty reply line on the daemon's direct connection.");
            }

            if (_replyStart > 0)
            {
                _reply.AsSpan(_replyStart, _replyEnd - _replyStart).CopyTo(_reply);
                _replyEnd -= _replyStart;
                _replyStart = 0;
            }

            if (_replyEnd == _reply.Length)
            {
                throw new IOException("Reply line too long on the daemon's direct connection.");
            }

            var read = await _stream.ReadAsync(_reply.AsMemory(_replyEnd), ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("Redis closed the daemon's direct connection.");
            }

            _replyEnd += read;
        }
    }
}
