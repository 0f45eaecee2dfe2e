using System.Diagnostics;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Testing.Cli;

/// <summary>
/// The one way tests run the <c>redisflow</c> command: the RedisFlow.Cli.dll of the same build (see
/// <see cref="Dll"/>), as an operator would, in an empty folder of its own and with only the settings the test gives.
/// </summary>
public static class CliRunner
{
    /// <summary>Names another build of the command to run the same tests against (for example an older one, to show which tests fail there).</summary>
    public const string DllVariable = "REDISFLOW_CLI_DLL";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The command to run: <see cref="DllVariable"/> when set, else RedisFlow.Cli.dll beside the test assembly, where
    /// the build copies it for every test project that references RedisFlow.Cli (so it is never a stale build of
    /// another configuration, and nothing depends on where the repository's folders are).
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither is there.</exception>
    public static string Dll
    {
        get
        {
            var dll = Environment.GetEnvironmentVariable(DllVariable) is { Length: > 0 } other
                ? other
                : Path.Combine(AppContext.BaseDirectory, "RedisFlow.Cli.dll");
            return File.Exists(dll)
                ? dll
                : throw new FileNotFoundException($"{dll} is missing: the test project must reference src/RedisFlow.Cli (or {DllVariable} name a built RedisFlow.Cli.dll).", dll);
        }
    }

    /// <summary>Runs the command to its end (at most 90 s); answers its exit code and output.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs the command with <paramref name="environment"/> added (names as environment variables, <c>Redis__Host</c>).</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunWithInputAsync(environment, null, args);

    /// <summary>Runs the command with <paramref name="stdin"/> on its standard input (closed at the end), or none.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(IReadOnlyDictionary<string, string>? environment, byte[]? stdin, params string[] args)
    {
        var child = ChildProcess.Start("dotnet", [Dll, .. args], Options(Nullable(environment), redirectInput: true));
        await using (child.ConfigureAwait(false))
        {
            await child.WriteInputAsync(stdin, TestContext.Current.CancellationToken).ConfigureAwait(false);
            var exitCode = await child.WaitForExitAsync(Limit, TestContext.Current.CancellationToken).ConfigureAwait(false);
            return (exitCode, child.Output, child.Error);
        }
    }

    /// <summary>
    /// Starts a long-running command (<c>serve</c>, <c>db init</c>) with <paramref name="settings"/> (configuration
    /// paths such as <c>Redis:Host</c>) and collects its output; disposing it kills it and removes its folder.
    /// </summary>
    public static ChildProcess Launch(IReadOnlyDictionary<string, string?> settings, params string[] args) =>
        ChildProcess.Start("dotnet", [Dll, .. args], Options(settings, redirectInput: false));

    /// <summary>
    /// Starts the command for a test that drives its streams itself (reads a line, closes the pipe, signals it);
    /// standard output and error are redirected, input when <paramref name="redirectInput"/>.
    /// </summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, bool redirectInput, params string[] args) =>
        Process.Start(ChildProcess.StartInfo("dotnet", [Dll, .. args], Options(Nullable(environment), redirectInput)))!;

    /// <summary>Sends <paramref name="signal"/> (TERM, HUP, INT) to <paramref name="process"/> with kill(1).</summary>
    public static Task SignalAsync(Process process, string signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        return ChildProcess.RunToSuccessAsync("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(30), ct: TestContext.Current.CancellationToken);
    }

    /// <summary>Asserts the output holds no .NET stack trace.</summary>
    public static void NoStackTrace(string output) => Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

    private static ChildProcessOptions Options(IEnumerable<KeyValuePair<string, string?>>? settings, bool redirectInput) => new()
    {
        // An empty folder, so no appsettings.json of the developer's is picked up.
        WorkingDirectory = Directory.CreateTempSubdirectory("redisflow-cli-").FullName,
        OwnsWorkingDirectory = true,
        // A developer's environment must not point the command at another Redis, database or storage.
        WithoutInherited = IsRedisFlowSetting,
        // Configuration paths use ':'; environment variables use '__'.
        Environment = settings?.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value)),
        RedirectInput = redirectInput,
        Name = "redisflow",
    };

    private static IEnumerable<KeyValuePair<string, string?>>? Nullable(IReadOnlyDictionary<string, string>? environment) =>
        environment?.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value));

    private static bool IsRedisFlowSetting(string name) =>
        new[] { "Redis__", "TaskSource__", "Storage__", "Cache__", "Logging__" }.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
