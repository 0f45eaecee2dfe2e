using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RedisFlow.Embedded;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>
/// Counts the commands the server executed, from <c>INFO commandstats</c>, read over a separate plain socket so the
/// reading itself is the only thing it adds (its INFO calls are left out of the count).
/// </summary>
public static class CommandStats
{
    /// <summary>Total calls of every command except INFO, and the calls per command.</summary>
    public static async Task<(long Total, IReadOnlyDictionary<string, long> ByCommand)> ReadAsync(RedisServerProcess server, CancellationToken ct)
    {
        var reply = await InfoAsync(server.Port, ct).ConfigureAwait(false);
        var byCommand = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in reply.Split('\n'))
        {
            // cmdstat_xreadgroup:calls=12,usec=...
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[8..colon];
            var calls = line[(colon + 1)..].Split(',').First(p => p.StartsWith("calls=", StringComparison.Ordinal))[6..];
            byCommand[name] = long.Parse(calls, CultureInfo.InvariantCulture);
        }

        var total = byCommand.Where(p => p.Key != "info").Sum(p => p.Value);
        return (total, byCommand);
    }

    /// <summary>One <c>INFO commandstats</c> over a fresh socket, read to the end of its bulk reply.</summary>
    private static async Task<string> InfoAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n"u8.ToArray(), ct).ConfigureAwait(false);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int expected = -1;
        while (expected < 0 || received.Length < expected)
        {
            var read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("redis-server closed the connection during INFO.");
            }

            received.Write(buffer, 0, read);
            if (expected < 0)
            {
                var text = Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)received.Length);
                var end = text.IndexOf("\r\n", StringComparison.Ordinal);
                if (end > 0)
                {
                    if (text[0] != '$')
                    {
                        throw new IOException($"Unexpected INFO reply: {text[..end]}");
                    }

                    // "$<len>\r\n" + body + "\r\n"
                    expected = end + 2 + int.Parse(text[1..end], CultureInfo.InvariantCulture) + 2;
                }
            }
        }

        return Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
    }

    /// <summary>
    /// Commands per second the server executed during <paramref name="window"/> (INFO excluded), and which commands,
    /// as "xreadgroup 0.50/s, ping 0.20/s".
    /// </summary>
    public static async Task<(double Rate, string Breakdown)> RateAsync(RedisServerProcess server, TimeSpan window, CancellationToken ct)
    {
        var (before, beforeBy) = await ReadAsync(server, ct).ConfigureAwait(false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.Delay(window, ct).ConfigureAwait(false);
        var (after, afterBy) = await ReadAsync(server, ct).ConfigureAwait(false);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var breakdown = afterBy
            .Where(p => p.Key != "info")
            .Select(p => (p.Key, Delta: p.Value - beforeBy.GetValueOrDefault(p.Key)))
            .Where(p => p.Delta > 0)
            .OrderByDescending(p => p.Delta)
            .Select(p => $"{p.Key} {(p.Delta / seconds).ToString("0.00", CultureInfo.InvariantCulture)}/s");
        return ((after - before) / seconds, string.Join(", ", breakdown));
    }
}
