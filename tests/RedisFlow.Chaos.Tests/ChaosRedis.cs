using System.Globalization;
using RedisFlow.Embedded;
using RedisFlow.Testing.Processes;
using RedisFlow.Testing.Topologies;

namespace RedisFlow.Chaos.Tests;

/// <summary>
/// The one redis-server of a chaos run, and every fault done to it. The server is the fixtures' own
/// <see cref="RedisServerProcess"/>, which already restarts on the same port and folder, so its AOF is read back.
/// </summary>
public sealed class ChaosRedis : IAsyncDisposable
{
    private const string FillPrefix = "chaos:fill:";
    private const int FillValueBytes = 1024 * 1024;

    private ChaosRedis(RedisServerProcess server, ChaosMode mode, int maxMemoryMb)
    {
        Server = server;
        Mode = mode;
        MaxMemoryMb = maxMemoryMb;
    }

    /// <summary>The server process.</summary>
    public RedisServerProcess Server { get; }

    /// <summary>How the server was configured.</summary>
    public ChaosMode Mode { get; }

    /// <summary>Its <c>maxmemory</c> in MB.</summary>
    public int MaxMemoryMb { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Endpoint => Server.Endpoint;

    /// <summary>
    /// Starts the server. Both modes write an AOF fsynced before every reply (<c>appendfsync always</c>): with
    /// Redis's default <c>everysec</c>, a SIGKILL may lose up to a second of acknowledged writes, and then "0 lost"
    /// could not be asserted. The durable mode refuses writes when full (<c>noeviction</c>); the RAGFlow mode evicts
    /// keys that have a TTL (<c>volatile-lru</c>, 128 MB), as RAGFlow's docker deployment does.
    /// </summary>
    public static async Task<ChaosRedis> StartAsync(ChaosMode mode, CancellationToken ct)
    {
        var (maxMemoryMb, policy) = mode == ChaosMode.Ragflow ? (128, "volatile-lru") : (96, "noeviction");
        var server = await RedisServerProcess.StartAsync(
            new RedisServerSettings
            {
                ExtraArgs =
                [
                    "--appendonly", "yes",
                    "--appendfsync", "always",
                    "--maxmemory", $"{maxMemoryMb}mb",
                    "--maxmemory-policy", policy,
                ],
                // A restart replays the AOF; on a loaded 2-core machine that once took more than the default 15 s.
                StartLimit = ChildProcess.ServerStartLimit,
            },
            ct).ConfigureAwait(false);
        return new ChaosRedis(server, mode, maxMemoryMb);
    }

    /// <summary>SIGKILL, <paramref name="down"/> without a server, then a start on the same port and folder (its AOF).</summary>
    public async Task KillAndRestartAsync(TimeSpan down, CancellationToken ct)
    {
        await Server.KillAsync().ConfigureAwait(false);
        await Task.Delay(down, ct).ConfigureAwait(false);
        await Server.RestartAsync(ct).ConfigureAwait(false);
    }

    /// <summary><c>CLIENT PAUSE ms ALL</c>: every client command waits; the pause ends on its own.</summary>
    public async Task ClientPauseAsync(TimeSpan length, CancellationToken ct)
    {
        var reply = await Server.SendRawAsync(ct, "CLIENT", "PAUSE", ((long)length.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), "ALL").ConfigureAwait(false);
        Assert.StartsWith("+OK", reply, StringComparison.Ordinal);
        await Task.Delay(length, ct).ConfigureAwait(false);
    }

    /// <summary>SIGSTOP for <paramref name="length"/>, then SIGCONT (also when cancelled): sockets open, nothing answered.</summary>
    public async Task StallAsync(TimeSpan length, CancellationToken ct)
    {
        await using var stalled = await StalledServer.StallAsync(Server, ct).ConfigureAwait(false);
        await Task.Delay(length, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary><c>CLIENT KILL TYPE normal</c>: drops every client connection; answers how many.</summary>
    public async Task<long> KillClientsAsync(CancellationToken ct)
    {
        var reply = await Server.SendRawAsync(ct, "CLIENT", "KILL", "TYPE", "normal").ConfigureAwait(false);
        return reply.StartsWith(':') ? long.Parse(reply.AsSpan(1).TrimEnd("\r\n"), CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>
    /// Writes 1 MB keys without a TTL until Redis refuses one (OOM) or evicts everything it may, holds that for
    /// <paramref name="hold"/>, then deletes them. Answers how many MB were written and whether a write was refused.
    /// </summary>
    public async Task<(int FilledMb, bool Refused)> FillMemoryAsync(TimeSpan hold, CancellationToken ct)
    {
        var written = 0;
        var refused = false;
        try
        {
            // Bounded: the limit plus what the run's own data may have freed by eviction.
            for (var i = 0; i < MaxMemoryMb + 64 && !refused; i++)
            {
                // SETRANGE at the last byte makes a 1 MB value from a tiny command (and a tiny AOF record).
                // Each raw command is a connection of its own, on database 0: the run's data is on database 1.
                var reply = await Server.SendRawAsync(ct, "SETRANGE", FillPrefix + i.ToString(CultureInfo.InvariantCulture),
                    (FillValueBytes - 1).ToString(CultureInfo.InvariantCulture), "x").ConfigureAwait(false);
                if (reply.StartsWith("-OOM", StringComparison.Ordinal))
                {
                    refused = true;
                }
                else if (reply.StartsWith(':'))
                {
                    written++;
                }
                else
                {
                    throw new InvalidOperationException($"SETRANGE answered {reply.Trim()}");
                }
            }

            await Task.Delay(hold, ct).ConfigureAwait(false);
        }
        finally
        {
            await FreeAsync(written + 1).ConfigureAwait(false);
        }

        return (written, refused);
    }

    /// <summary><c>INFO stats</c>' <c>evicted_keys</c> since the last start.</summary>
    public async Task<long> EvictedKeysAsync(CancellationToken ct)
    {
        var info = await Server.SendRawAsync(ct, "INFO", "stats").ConfigureAwait(false);
        return long.TryParse(Resp.InfoField(info, "evicted_keys"), CultureInfo.InvariantCulture, out var evicted) ? evicted : 0;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task FreeAsync(int count)
    {
        // Not cancellable: the memory must be given back even when the run is being cancelled.
        for (var i = 0; i < count; i += 64)
        {
            var keys = Enumerable.Range(i, Math.Min(64, count - i)).Select(k => FillPrefix + k.ToString(CultureInfo.InvariantCulture));
            await Server.SendRawAsync(CancellationToken.None, ["DEL", .. keys]).ConfigureAwait(false);
        }
    }
}
