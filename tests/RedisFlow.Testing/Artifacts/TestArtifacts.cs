using System.Globalization;

namespace RedisFlow.Testing.Artifacts;

/// <summary>
/// The one folder per run where fixtures and child processes write their logs and output:
/// <c>$REDISFLOW_TEST_ARTIFACTS</c> (set by <c>scripts/test.sh</c>, which sweeps it for secrets afterwards), else a
/// folder of this test process under the temp folder. Nothing is deleted from it during the run.
/// </summary>
public static class TestArtifacts
{
    /// <summary>The environment variable naming the folder.</summary>
    public const string Variable = "REDISFLOW_TEST_ARTIFACTS";

    private static readonly Lazy<string> RootFolder = new(CreateRoot);

    /// <summary>The run's folder, created on first use.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>A new, unique file path in <paramref name="folder"/> of <see cref="Root"/> (created), named after <paramref name="name"/>.</summary>
    public static string NewFile(string folder, string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(Root, folder)).FullName;
        var safe = string.Concat(name.Take(60).Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{safe}-{Guid.NewGuid():N}.log"));
    }

    private static string CreateRoot()
    {
        var root = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given
            ? given
            : Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"redisflow-test-artifacts-{Environment.ProcessId}"));
        return Directory.CreateDirectory(root).FullName;
    }
}
