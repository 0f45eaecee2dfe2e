namespace RedisFlow.TestProcesses;

/// <summary>
/// One thing a child process can do, chosen by the first command-line argument. Scenarios are found by reflection,
/// so adding one is adding a file to <c>Scenarios/</c>.
/// </summary>
public interface ITestProcessScenario
{
    /// <summary>The first command-line argument that selects this scenario.</summary>
    string Name { get; }

    /// <summary>Runs the scenario with the remaining arguments; the result is the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct);
}
