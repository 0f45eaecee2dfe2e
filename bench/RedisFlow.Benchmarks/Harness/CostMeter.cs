using System.Globalization;
using RedisFlow.Embedded;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>
/// What the runs of a case cost per operation: CPU time of this (client) process, CPU time of redis-server (its
/// <c>INFO cpu</c>), and bytes this process allocated.
/// </summary>
/// <remarks>
/// On 2 shared vCPUs, with 32 calls in flight, client and server together use both cores, so throughput is bounded by
/// their CPU per operation, and it moves with the neighbours by ±20 % from one sample to the next. CPU time per
/// operation moves much less, and it says which side a throughput gap comes from: the library's client code, or the
/// work it asks of the server.
/// </remarks>
public sealed class CostMeter(RedisServerProcess server)
{
    private readonly Dictionary<string, List<Cost>> _costs = [];

    /// <summary>
    /// <paramref name="run"/> (which does <paramref name="operations"/> operations and returns their rate) with its
    /// cost recorded under <paramref name="caseName"/>; the rate is returned unchanged.
    /// </summary>
    public Func<CancellationToken, Task<double>> Measured(string caseName, int operations, Func<Task<double>> run) => async ct =>
    {
        var serverBefore = await ServerCpuSecondsAsync(ct).ConfigureAwait(false);
        var clientBefore = Environment.CpuUsage.TotalTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var rate = await run().ConfigureAwait(false);
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var client = Environment.CpuUsage.TotalTime - clientBefore;
        var serverSeconds = await ServerCpuSecondsAsync(ct).ConfigureAwait(false) - serverBefore;
        if (!_costs.TryGetValue(caseName, out var list))
        {
            _costs[caseName] = list = [];
        }

        list.Add(new Cost(client.TotalMicroseconds / operations, serverSeconds * 1e6 / operations, (double)allocated / operations));
        return rate;
    };

    /// <summary>
    /// A row of the case's CPU per operation (client + server, µs), the last <paramref name="repetitions"/> runs
    /// (warm-ups left out); the note splits it and gives the allocations. Null when the case was not measured.
    /// </summary>
    public ResultRow? Row(string caseName, string operation, int repetitions)
    {
        if (!_costs.TryGetValue(caseName, out var all) || all.Count == 0)
        {
            return null;
        }

        var runs = all.TakeLast(repetitions).ToArray();
        var client = new Sample(runs.Select(c => c.ClientMicroseconds));
        var serverCpu = new Sample(runs.Select(c => c.ServerMicroseconds));
        var allocated = new Sample(runs.Select(c => c.AllocatedBytes));
        var note = string.Create(CultureInfo.InvariantCulture,
            $"client {Format.Number(client.Median)} + server {Format.Number(serverCpu.Median)} µs, {Format.Number(allocated.Median)} B allocated per {operation}");
        return new ResultRow($"{caseName}, CPU", $"µs/{operation}", new Sample(runs.Select(c => c.ClientMicroseconds + c.ServerMicroseconds)), Note: note);
    }

    private async Task<double> ServerCpuSecondsAsync(CancellationToken ct)
    {
        var info = await server.SendRawAsync(ct, "INFO", "cpu").ConfigureAwait(false);
        double total = 0;
        foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries))
        {
            // The server's own threads; used_cpu_*_children would be a fork (none here: persistence is off).
            if (line.StartsWith("used_cpu_sys:", StringComparison.Ordinal) || line.StartsWith("used_cpu_user:", StringComparison.Ordinal))
            {
                total += double.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    private readonly record struct Cost(double ClientMicroseconds, double ServerMicroseconds, double AllocatedBytes);
}
