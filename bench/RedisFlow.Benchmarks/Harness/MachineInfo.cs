using System.Runtime.InteropServices;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>What the run ran on, for the report header.</summary>
public sealed record MachineInfo(int Processors, string Cpu, string RedisVersion, string Runtime, string Os, string Node)
{
    public static async Task<MachineInfo> CollectAsync(string redisVersion, string node, CancellationToken ct)
    {
        var cpu = "unknown";
        if (File.Exists("/proc/cpuinfo"))
        {
            var line = (await File.ReadAllLinesAsync("/proc/cpuinfo", ct).ConfigureAwait(false))
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return new MachineInfo(Environment.ProcessorCount, cpu, redisVersion, RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription, node);
    }

    public override string ToString() =>
        $"{Processors} CPUs ({Cpu}), Redis {RedisVersion}, {Runtime}, {Os}, Node {Node}";
}
