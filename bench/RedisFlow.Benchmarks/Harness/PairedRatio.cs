using System.Globalization;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>
/// Ratios of two cases taken round by round: <see cref="Repeater"/> runs every case once per round, so the two runs
/// of a round are minutes closer in time than the medians of the whole scenario, and a slow spell of the machine
/// weighs on both. Their spread shows how far a ratio of medians can be trusted.
/// </summary>
public static class PairedRatio
{
    /// <summary>"median 0.93× (0.81–1.05× over 5 rounds)" for <paramref name="subject"/> / <paramref name="baseline"/>, round by round.</summary>
    public static string Describe(Sample subject, Sample baseline)
    {
        var rounds = Math.Min(subject.Values.Count, baseline.Values.Count);
        var ratios = new Sample(Enumerable.Range(0, rounds).Select(i => subject.Values[i] / baseline.Values[i]));
        return string.Create(CultureInfo.InvariantCulture,
            $"median {Format.Ratio(ratios.Median)} ({Format.Ratio(ratios.Min)}–{Format.Ratio(ratios.Max)} over {rounds} rounds)");
    }
}
