namespace RedisFlow.Benchmarks.Harness;

/// <summary>
/// One line of a scenario's table. <see cref="Sample"/> is null when the case could not be measured in this run
/// (<see cref="Note"/> says why: "not available yet", a peer that failed to install, ...); never a made-up number.
/// </summary>
public sealed record ResultRow(string Name, string Unit, Sample? Sample, string? Baseline = null, string? Note = null)
{
    /// <summary>Targets from issue 6 that apply to this row.</summary>
    public IReadOnlyList<Target> Targets { get; init; } = [];

    /// <summary>A row that could not be measured, with the reason.</summary>
    public static ResultRow Unavailable(string name, string unit, string reason, string? baseline = null) =>
        new(name, unit, null, baseline, reason);

    /// <summary>This row with targets added.</summary>
    public ResultRow With(params Target[] targets) => this with { Targets = [.. Targets, .. targets] };
}
