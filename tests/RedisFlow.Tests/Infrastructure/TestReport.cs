namespace RedisFlow.Tests.Infrastructure;

/// <summary>
/// Lines a test reports for people to read (failover windows, lost entries): written to the test's output and, when
/// the test command sets <c>REDISFLOW_TEST_REPORT</c> to a file, appended there so the command can print them
/// (the test runner does not show a passing test's output).
/// </summary>
public static class TestReport
{
    private static readonly Lock Gate = new();

    /// <summary>Reports <paramref name="line"/>.</summary>
    public static void Write(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var file = Environment.GetEnvironmentVariable("REDISFLOW_TEST_REPORT");
        if (string.IsNullOrEmpty(file))
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }
}
