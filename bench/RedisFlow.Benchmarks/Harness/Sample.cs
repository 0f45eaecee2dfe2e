namespace RedisFlow.Benchmarks.Harness;

/// <summary>The values one case produced, one per repetition (warm-ups excluded).</summary>
public sealed class Sample
{
    public Sample(IEnumerable<double> values)
    {
        Values = [.. values];
        if (Values.Count == 0)
        {
            throw new ArgumentException("A sample needs at least one value.", nameof(values));
        }

        var sorted = Values.Order().ToArray();
        Min = sorted[0];
        Max = sorted[^1];
        Median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public IReadOnlyList<double> Values { get; }

    public double Median { get; }

    public double Min { get; }

    public double Max { get; }

    public static Sample Of(params double[] values) => new(values);
}
