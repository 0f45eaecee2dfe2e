using RedisFlow.Testing.Processes;

namespace RedisFlow.Testing;

/// <summary>
/// Starts one scenario of <c>RedisFlow.TestProcesses</c> (built next to the tests) as a child process, so tests can
/// kill it (SIGKILL) or wait for it and count the lines it wrote.
/// </summary>
public static class TestProcess
{
    /// <summary>Starts the scenario <paramref name="scenario"/> with <paramref name="args"/>.</summary>
    /// <exception cref="InvalidOperationException">The test project does not reference RedisFlow.TestProcesses.</exception>
    public static ChildProcess Start(string scenario, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "RedisFlow.TestProcesses.dll");
        return File.Exists(dll)
            ? ChildProcess.Start("dotnet", [dll, scenario, .. args])
            : throw new InvalidOperationException($"{dll} is missing: the test project must reference RedisFlow.TestProcesses.");
    }
}
