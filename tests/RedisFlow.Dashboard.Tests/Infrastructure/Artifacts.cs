namespace RedisFlow.Dashboard.Tests.Infrastructure;

/// <summary>Where screenshots go: <c>$REDISFLOW_TEST_ARTIFACTS/dashboard</c>, else <c>screenshots/</c> beside the test binaries.</summary>
public static class Artifacts
{
    public static string Folder { get; } = Create();

    public static string PathOf(string file) => System.IO.Path.Combine(Folder, file);

    private static string Create()
    {
        var root = Environment.GetEnvironmentVariable("REDISFLOW_TEST_ARTIFACTS");
        var folder = string.IsNullOrWhiteSpace(root)
            ? System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots")
            : System.IO.Path.Combine(root, "dashboard");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
