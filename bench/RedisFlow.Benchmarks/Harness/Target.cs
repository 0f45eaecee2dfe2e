namespace RedisFlow.Benchmarks.Harness;

/// <summary>Whether a target from issue 6 was reached in this run.</summary>
public enum TargetStatus
{
    /// <summary>Reached.</summary>
    Met,

    /// <summary>Not reached.</summary>
    Missed,

    /// <summary>A row it depends on has no measurement (not available yet, or the peer could not run).</summary>
    Pending,
}

/// <summary>
/// A target from issue 6 for one row: either a ratio to another row of the same table (same run), or an absolute
/// bound on the row's median.
/// </summary>
public sealed record Target(string Text, Func<ResultRow, Func<string, ResultRow?>, (TargetStatus Status, double Actual)> Evaluate)
{
    /// <summary>Median ≥ <paramref name="factor"/> × the median of row <paramref name="other"/>.</summary>
    public static Target RatioAtLeast(double factor, string other, string label) =>
        new($"≥ {factor:0.##}× {label}", (row, find) =>
        {
            var baseline = find(other);
            if (row.Sample is null || baseline?.Sample is null || baseline.Sample.Median == 0)
            {
                return (TargetStatus.Pending, double.NaN);
            }

            var ratio = row.Sample.Median / baseline.Sample.Median;
            return (ratio >= factor ? TargetStatus.Met : TargetStatus.Missed, ratio);
        });

    /// <summary>Median ≤ <paramref name="factor"/> × the median of row <paramref name="other"/> (lower is better).</summary>
    public static Target RatioAtMost(double factor, string other, string label) =>
        new($"≤ {factor:0.##}× {label}", (row, find) =>
        {
            var baseline = find(other);
            if (row.Sample is null || baseline?.Sample is null || baseline.Sample.Median == 0)
            {
                return (TargetStatus.Pending, double.NaN);
            }

            var ratio = row.Sample.Median / baseline.Sample.Median;
            return (ratio <= factor ? TargetStatus.Met : TargetStatus.Missed, ratio);
        });

    /// <summary>Median ≥ <paramref name="bound"/>.</summary>
    public static Target AtLeast(double bound, string unit) =>
        new($"≥ {Format.Number(bound)} {unit}", (row, _) =>
            row.Sample is null ? (TargetStatus.Pending, double.NaN)
                : (row.Sample.Median >= bound ? TargetStatus.Met : TargetStatus.Missed, row.Sample.Median));

    /// <summary>Median ≤ <paramref name="bound"/>.</summary>
    public static Target AtMost(double bound, string unit) =>
        new($"≤ {Format.Number(bound)} {unit}", (row, _) =>
            row.Sample is null ? (TargetStatus.Pending, double.NaN)
                : (row.Sample.Median <= bound ? TargetStatus.Met : TargetStatus.Missed, row.Sample.Median));
}
