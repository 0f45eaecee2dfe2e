namespace RedisFlow.Chaos.Tests;

/// <summary>
/// The run's line for people to read: written to the test output and to standard output, and appended to the file
/// named by <c>REDISFLOW_TEST_REPORT</c> when set (scripts/test.sh prints that file after the run: the runner does
/// not show a passing test's output).
/// </summary>
public static class ChaosReport
{
    /// <summary>Reports <paramref name="line"/>.</summary>
    public static void Write(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
        var file = Environment.GetEnvironmentVariable("REDISFLOW_TEST_REPORT");
        if (!string.IsNullOrEmpty(file))
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }
}
