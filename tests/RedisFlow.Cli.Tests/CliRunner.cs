using System.Diagnostics;

namespace RedisFlow.Cli.Tests;

/// <summary>Runs the built <c>redisflow</c> program (RedisFlow.Cli.dll, copied next to the tests) as a child process.</summary>
internal static class CliRunner
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunWithInputAsync(environment, null, args);

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs the command with <paramref name="stdin"/> on its standard input (closed at the end), or none.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(IReadOnlyDictionary<string, string>? environment, byte[]? stdin, params string[] args)
    {
        using var process = Start(environment, stdin is not null, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"redisflow {string.Join(' ', args)} did not exit within {Limit.TotalSeconds} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the command with its standard output and error redirected (and input, when asked); the caller reads and ends it.</summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, bool redirectInput, params string[] args)
    {
        // REDISFLOW_CLI_DLL runs the same tests against another build of the command (for example an older one,
        // to show which tests fail there).
        var dll = Environment.GetEnvironmentVariable("REDISFLOW_CLI_DLL") is { Length: > 0 } other
            ? other
            : Path.Combine(AppContext.BaseDirectory, "RedisFlow.Cli.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            // An empty folder, so no appsettings.json of the developer's is picked up.
            WorkingDirectory = Directory.CreateTempSubdirectory("redisflow-cli-").FullName,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A developer's environment must not point the command at another Redis.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Redis__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, HUP, INT) to <paramref name="process"/> with kill(1).</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Asserts the output holds no .NET stack trace.</summary>
    public static void NoStackTrace(string output) => Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
}
