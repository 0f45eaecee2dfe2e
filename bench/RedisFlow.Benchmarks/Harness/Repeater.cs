namespace RedisFlow.Benchmarks.Harness;

/// <summary>
/// Runs cases with warm-ups, then repetitions interleaved (A B C, A B C, ...) so a slow spell of a shared machine
/// hits every case alike and ratios within the run stay fair.
/// </summary>
public static class Repeater
{
    public static async Task<IReadOnlyDictionary<string, Sample>> RunAsync(
        IReadOnlyList<BenchCase> cases, int warmups, int repetitions, Action<string> progress, CancellationToken ct)
    {
        foreach (var bench in cases)
        {
            for (var i = 0; i < warmups; i++)
            {
                ct.ThrowIfCancellationRequested();
                await bench.RunAsync(ct).ConfigureAwait(false);
            }
        }

        var values = cases.ToDictionary(c => c.Name, _ => new List<double>());
        for (var rep = 0; rep < repetitions; rep++)
        {
            foreach (var bench in cases)
            {
                ct.ThrowIfCancellationRequested();
                var value = await bench.RunAsync(ct).ConfigureAwait(false);
                values[bench.Name].Add(value);
                progress($"  {bench.Name}: {Format.Number(value)}");
            }
        }

        return values.ToDictionary(p => p.Key, p => new Sample(p.Value));
    }
}
