using RedisFlow.Embedded;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>
/// Makes a fresh machine ready: when redis-server, redis-benchmark, node, npm or python3-redis (the Python peer's
/// client) is missing, runs <c>scripts/install-prereqs.sh bench</c> (apt-get, as the test command does). BullMQ
/// itself is installed later by <c>npm ci</c> (<see cref="Peers.BullMq.EnsureInstalledAsync"/>).
/// </summary>
public static class Prerequisites
{
    private static readonly string[] Programs = ["redis-server", "redis-benchmark", "node", "npm"];

    public static async Task EnsureAsync(Action<string> progress, CancellationToken ct)
    {
        var missing = Programs.Where(p => ExternalProgram.Find(p) is null).ToList();
        if (!await Peers.PythonSeedPeer.IsInstalledAsync(ct).ConfigureAwait(false))
        {
            missing.Add("python3-redis");
        }

        if (missing.Count == 0)
        {
            return;
        }

        var script = Path.Combine(RepoPaths.Root, "scripts", "install-prereqs.sh");
        progress($"Missing {string.Join(", ", missing)}: running scripts/install-prereqs.sh bench");
        var outcome = await ChildProcess.RunAsync("bash", [script, "bench"], TimeSpan.FromMinutes(15), new ChildProcessOptions { WorkingDirectory = RepoPaths.Root }, ct).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            // Not fatal: redis-server is required below and says how to install it; a missing peer marks its rows.
            progress($"install-prereqs.sh failed ({outcome.ExitCode}): {outcome.StandardError.Trim()}");
        }
    }
}
