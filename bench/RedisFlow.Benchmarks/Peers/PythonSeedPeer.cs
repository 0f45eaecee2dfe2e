using System.Globalization;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.SeedPeer;
using RedisFlow.Embedded;

namespace RedisFlow.Benchmarks.Peers;

/// <summary>
/// Starts the two sides of the Python-peer rows as long-lived processes with the same placement: RAGFlow's Redis
/// layer as bench/python/seed_peer.py (Debian's python3-redis on /usr/bin/python3) and RedisFlow's seed API as
/// <see cref="SeedPeerChild"/>.
/// </summary>
public static class PythonSeedPeer
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    public static string Script => Path.Combine(RepoPaths.Root, "bench", "python", "seed_peer.py");

    /// <summary>Debian's interpreter (its python3-redis is what the peer imports), else the first python3 on PATH.</summary>
    public static string? Interpreter => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalProgram.Find("python3");

    /// <summary>Whether the interpreter can import redis-py (python3-redis).</summary>
    public static async Task<bool> IsInstalledAsync(CancellationToken ct)
    {
        if (Interpreter is not { } python)
        {
            return false;
        }

        var outcome = await ChildProcess.RunAsync(python, ["-c", "import redis"], TimeSpan.FromSeconds(30), ct: ct).ConfigureAwait(false);
        return outcome.ExitCode == 0;
    }

    /// <summary>The Python original; <see cref="PeerUnavailableException"/> when python3 or python3-redis is missing.</summary>
    public static async Task<LineProtocolPeer> StartPythonAsync(RedisServerProcess server, CpuPlacement placement, CancellationToken ct)
    {
        var python = Interpreter ?? throw new PeerUnavailableException("python3 not installed (apt-get install python3-redis; scripts/install-prereqs.sh bench does it)");
        var (program, args) = placement.Wrap(python,
            [Script, "--port", server.Port.ToString(CultureInfo.InvariantCulture), "--db", BenchContext.Database.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            return await LineProtocolPeer.StartAsync(program, args, RepoPaths.Root, StartLimit, ct).ConfigureAwait(false);
        }
        catch (PeerUnavailableException ex)
        {
            throw new PeerUnavailableException($"{ex.Message} (needs python3-redis: scripts/install-prereqs.sh bench installs it)", ex);
        }
    }

    /// <summary>RedisFlow's side in a child process of this benchmark; a failure to start is a bug, so it throws.</summary>
    public static async Task<LineProtocolPeer> StartRedisFlowAsync(RedisServerProcess server, CpuPlacement placement, CancellationToken ct)
    {
        var dll = typeof(SeedPeerChild).Assembly.Location;
        var (program, args) = placement.Wrap("dotnet",
            [dll, SeedPeerChild.Command, server.Endpoint, BenchContext.Database.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            return await LineProtocolPeer.StartAsync(program, args, null, StartLimit, ct).ConfigureAwait(false);
        }
        catch (PeerUnavailableException ex)
        {
            throw new InvalidOperationException($"The RedisFlow side did not start: {ex.Message}", ex);
        }
    }
}
