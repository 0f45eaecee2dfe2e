using RedisFlow.Benchmarks.Harness;

namespace RedisFlow.Benchmarks.Scenarios;

/// <summary>One named comparison of issue 6; produces one table.</summary>
public interface IScenario
{
    /// <summary>The name given on the command line, for example <c>kv</c>.</summary>
    string Name { get; }

    Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct);
}
