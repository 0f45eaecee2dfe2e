using System.Globalization;
using RedisFlow.Embedded;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Testing.Topologies;

/// <summary>
/// A redis-server stopped with SIGSTOP until disposed (SIGCONT): it keeps its sockets open but reads and answers
/// nothing, like a replica starved of CPU, so the primary's replication stream piles up in its output buffer.
/// </summary>
public sealed class StalledServer : IAsyncDisposable
{
    private readonly int _processId;
    private int _resumed;

    private StalledServer(int processId) => _processId = processId;

    /// <summary>Stops <paramref name="server"/> (its process id is read from <c>INFO server</c> first).</summary>
    public static async Task<StalledServer> StallAsync(RedisServerProcess server, CancellationToken ct = default)
    {
        var info = await server.SendRawAsync(ct, "INFO", "server").ConfigureAwait(false);
        var processId = int.Parse(Resp.InfoField(info, "process_id") ?? throw new InvalidOperationException("INFO server has no process_id."), CultureInfo.InvariantCulture);
        await SignalAsync("-STOP", processId, ct).ConfigureAwait(false);
        return new StalledServer(processId);
    }

    /// <summary>Lets the server run again; idempotent, and harmless when it has exited meanwhile.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _resumed, 1) != 0)
        {
            return;
        }

        try
        {
            await SignalAsync("-CONT", _processId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The process is gone (killed with its topology): nothing to resume.
        }
    }

    private static Task<string> SignalAsync(string signal, int processId, CancellationToken ct) =>
        ChildProcess.RunToSuccessAsync("kill", [signal, processId.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10), ct: ct);
}
