namespace RedisFlow.Benchmarks.Harness;

/// <summary>Nearest-rank percentiles of a set of latencies.</summary>
public static class Percentiles
{
    /// <summary>The value at <paramref name="fraction"/> (0.5 = p50) of <paramref name="values"/>; NaN when empty.</summary>
    public static double Of(IReadOnlyCollection<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
