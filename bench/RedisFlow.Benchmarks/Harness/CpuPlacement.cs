using System.Globalization;
using RedisFlow.Embedded;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>
/// Where redis-server and the client processes run: pinned (redis-server on CPU 0, every client on CPU 1, so two
/// clients compared in one run meet the same placement) or left to the scheduler. Pinning uses <c>taskset</c>
/// (util-linux): clients are started under it, so the runtime's own threads are placed from the first instruction.
/// </summary>
public sealed record CpuPlacement(string Label, bool Pinned)
{
    public const int ServerCpu = 0;
    public const int ClientCpu = 1;

    public static CpuPlacement PinnedCpus { get; } = new("pinned", true);

    public static CpuPlacement Unpinned { get; } = new("unpinned", false);

    /// <summary>Why this placement cannot be made here (fewer than 2 CPUs, no taskset), or null.</summary>
    public string? Unavailable =>
        !Pinned ? null
        : !AllowedCpus().Contains(ServerCpu) || !AllowedCpus().Contains(ClientCpu) ? "pinning needs CPUs 0 and 1"
        : ExternalProgram.Find("taskset") is null ? "taskset not installed (apt-get install util-linux)"
        : null;

    /// <summary>The command line that starts <paramref name="program"/> with this placement.</summary>
    public (string Program, IReadOnlyList<string> Args) Wrap(string program, IEnumerable<string> args) =>
        Pinned
            ? (ExternalProgram.Require("taskset", "util-linux"), ["-c", ClientCpu.ToString(CultureInfo.InvariantCulture), program, .. args])
            : (program, [.. args]);

    /// <summary>Moves every thread of the run's redis-server to CPU 0 (pinned) or back to every CPU this process may use.</summary>
    public async Task ApplyToServerAsync(RedisServerProcess server, CancellationToken ct)
    {
        var info = await server.SendRawAsync(ct, "INFO", "server").ConfigureAwait(false);
        var pid = info.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("process_id:", StringComparison.Ordinal))[11..];
        var cpus = Pinned ? ServerCpu.ToString(CultureInfo.InvariantCulture) : string.Join(',', AllowedCpus());
        var taskset = ExternalProgram.Find("taskset");
        if (taskset is null)
        {
            if (Pinned)
            {
                throw new InvalidOperationException(Unavailable);
            }

            return; // Nothing was ever pinned without taskset.
        }

        var outcome = await ChildProcess.RunAsync(taskset, ["-a", "-p", "-c", cpus, pid], TimeSpan.FromSeconds(30), ct: ct).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset -a -p -c {cpus} {pid} failed ({outcome.ExitCode}): {outcome.StandardError.Trim()}");
        }
    }

    /// <summary>The CPUs this process may run on (from sched_getaffinity, as /proc reports it).</summary>
    private static List<int> AllowedCpus()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        if (line is null)
        {
            return [.. Enumerable.Range(0, Environment.ProcessorCount)];
        }

        var cpus = new List<int>();
        foreach (var part in line[18..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            var first = int.Parse(range[0], CultureInfo.InvariantCulture);
            var last = range.Length > 1 ? int.Parse(range[1], CultureInfo.InvariantCulture) : first;
            cpus.AddRange(Enumerable.Range(first, last - first + 1));
        }

        return cpus;
    }
}
