namespace RedisFlow.Benchmarks.Harness;

/// <summary>Everything one run produced, written as markdown and JSON.</summary>
public sealed record RunReport(
    DateTimeOffset StartedUtc,
    TimeSpan Duration,
    string Command,
    bool Quick,
    MachineInfo Machine,
    IReadOnlyList<ScenarioResult> Scenarios);
